using Serverless.Agencies;
using Serverless.Identity.People;
using Serverless.Validation;

namespace Serverless.Cases;

/// <summary>
/// Validates a whole case record, as created or as it would be after a change. All problems are
/// reported at once, by JSON path, so a coordinator fixes the form in one go.
/// </summary>
public static class CaseValidator
{
    public static IReadOnlyList<ValidationError> Validate(CaseRecord record, DateOnly today, IReadOnlyDictionary<string, Agency> agencies)
    {
        var errors = new ValidationErrors();

        if (record.Category == CaseCategory.ExpectantMother)
        {
            errors.Required("$.expectantMother", record.ExpectantMother);
        }
        else
        {
            errors.Required("$.child", record.Child);
            if (record.ExpectantMother is not null)
            {
                errors.Add("$.expectantMother", FieldRules.NotForCategory);
            }
        }

        if (record.Child is { } child)
        {
            ValidatePerson("$.child", child, today, errors);
        }

        if (record.ExpectantMother is { } expectant)
        {
            ValidatePerson("$.expectantMother.mother", expectant.Mother, today, errors);
        }

        ValidateCaseId("$.babyCaseId", record.BabyCaseId, errors);
        if (record.BabyCaseId is not null && record.Category != CaseCategory.ExpectantMother)
        {
            errors.Add("$.babyCaseId", FieldRules.NotForCategory);
        }

        errors.Count("$.household", record.Household, CaseLimits.Household);
        for (var i = 0; i < record.Household.Count; i++)
        {
            var member = record.Household[i];
            ValidateName($"$.household[{i}].name", member.Name, errors);
            errors.NotInFuture($"$.household[{i}].birthDate", member.BirthDate, today);
        }

        errors.Count("$.siblingCaseIds", record.SiblingCaseIds, CaseLimits.Siblings);
        for (var i = 0; i < record.SiblingCaseIds.Count; i++)
        {
            ValidateCaseId($"$.siblingCaseIds[{i}]", record.SiblingCaseIds[i], errors);
        }

        if (record.AbuseTypes.Distinct().Count() != record.AbuseTypes.Count)
        {
            errors.Add("$.abuseTypes", FieldRules.Duplicate);
        }

        if (record.PrimaryAbuseType is { } primary && !record.AbuseTypes.Contains(primary))
        {
            errors.Add("$.primaryAbuseType", FieldRules.NotInAbuseTypes);
        }

        ValidateAgencies(record, agencies, errors);
        ValidateStaff(record, errors);
        errors.Text("$.location.address", record.Location?.Address, CaseLimits.Address);
        errors.Text("$.location.schoolDistrict", record.Location?.SchoolDistrict, CaseLimits.SchoolDistrict);
        errors.Text("$.location.notes", record.Location?.Notes, CaseLimits.LocationNotes, multiline: true);
        errors.Text("$.notes", record.Notes, CaseLimits.Notes, multiline: true);
        ValidateClosure(record, today, errors);
        return errors.All;
    }

    private static void ValidateAgencies(CaseRecord record, IReadOnlyDictionary<string, Agency> agencies, ValidationErrors errors)
    {
        errors.Required("$.leadAgencyId", record.LeadAgencyId);
        if (!string.IsNullOrWhiteSpace(record.LeadAgencyId))
        {
            if (!agencies.TryGetValue(record.LeadAgencyId, out var lead))
            {
                errors.Add("$.leadAgencyId", FieldRules.UnknownAgency);
            }
            else if (!lead.MayLeadCases)
            {
                errors.Add("$.leadAgencyId", FieldRules.LeadAgencyKind);
            }
        }

        if (record.KeyAgencyId is not null && !agencies.ContainsKey(record.KeyAgencyId))
        {
            errors.Add("$.keyAgencyId", FieldRules.UnknownAgency);
        }

        errors.Count("$.participants", record.Participants, CaseLimits.Participants);
        for (var i = 0; i < record.Participants.Count; i++)
        {
            var participation = record.Participants[i];
            if (!agencies.ContainsKey(participation.AgencyId))
            {
                errors.Add($"$.participants[{i}].agencyId", FieldRules.UnknownAgency);
            }

            if (participation.To < participation.From)
            {
                errors.Add($"$.participants[{i}].to", FieldRules.DateOrder);
            }
        }
    }

    /// <summary>Staff are named for an agency on the case; a person is named once per agency and is never both named and barred.</summary>
    private static void ValidateStaff(CaseRecord record, ValidationErrors errors)
    {
        var onCase = record.Participants.Select(participation => participation.AgencyId)
            .Append(record.LeadAgencyId)
            .Concat(record.KeyAgencyId is { } key ? [key] : [])
            .ToHashSet(StringComparer.Ordinal);
        errors.Count("$.staff", record.Staff, CaseLimits.Staff);
        var named = new HashSet<(string, string)>();
        for (var i = 0; i < record.Staff.Count; i++)
        {
            var staff = record.Staff[i];
            if (!PersonIds.IsValid(staff.PersonId))
            {
                errors.Add($"$.staff[{i}].personId", FieldRules.InvalidId);
            }

            if (!onCase.Contains(staff.AgencyId))
            {
                errors.Add($"$.staff[{i}].agencyId", FieldRules.AgencyNotOnCase);
            }

            if (!named.Add((staff.PersonId, staff.AgencyId)))
            {
                errors.Add($"$.staff[{i}]", FieldRules.Duplicate);
            }
        }

        errors.Count("$.barredPersonIds", record.BarredPersonIds, CaseLimits.Barred);
        var barred = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < record.BarredPersonIds.Count; i++)
        {
            var personId = record.BarredPersonIds[i];
            if (!PersonIds.IsValid(personId))
            {
                errors.Add($"$.barredPersonIds[{i}]", FieldRules.InvalidId);
            }
            else if (!barred.Add(personId))
            {
                errors.Add($"$.barredPersonIds[{i}]", FieldRules.Duplicate);
            }
            else if (record.Staff.Any(staff => staff.PersonId == personId))
            {
                errors.Add($"$.barredPersonIds[{i}]", FieldRules.BarredAndNamed);
            }
        }
    }

    private static void ValidateClosure(CaseRecord record, DateOnly today, ValidationErrors errors)
    {
        if (record.Status == CaseStatus.Closed)
        {
            errors.Required("$.closure", record.Closure);
        }
        else if (record.Closure is not null)
        {
            errors.Add("$.closure", FieldRules.NotForCategory);
        }

        if (record.Closure is { } closure)
        {
            errors.Required("$.closure.reason", closure.Reason);
            errors.Text("$.closure.reason", closure.Reason, CaseLimits.ClosureReason, multiline: true);
            errors.Required("$.closure.meeting", closure.Meeting);
            errors.Text("$.closure.meeting", closure.Meeting, CaseLimits.Meeting);
            errors.NotInFuture("$.closure.decidedOn", closure.DecidedOn, today);
            errors.Text("$.closure.transferredTo", closure.TransferredTo, CaseLimits.Municipality);
            if (closure.Outcome == ClosureOutcome.TransferredToAnotherMunicipality)
            {
                errors.Required("$.closure.transferredTo", closure.TransferredTo);
            }
        }

        errors.Count("$.previousClosures", record.PreviousClosures, CaseLimits.PreviousClosures);
    }

    private static void ValidatePerson(string path, Person person, DateOnly today, ValidationErrors errors)
    {
        ValidateName(path + ".name", person.Name, errors);
        errors.NotInFuture(path + ".birthDate", person.BirthDate, today);
        errors.Count(path + ".previousNames", person.PreviousNames, CaseLimits.PreviousNames);
        for (var i = 0; i < person.PreviousNames.Count; i++)
        {
            ValidateName($"{path}.previousNames[{i}]", person.PreviousNames[i], errors);
        }

        errors.Count(path + ".aliases", person.Aliases, CaseLimits.Aliases);
        for (var i = 0; i < person.Aliases.Count; i++)
        {
            errors.Required($"{path}.aliases[{i}]", person.Aliases[i]);
            errors.Text($"{path}.aliases[{i}]", person.Aliases[i], CaseLimits.Alias);
        }
    }

    /// <summary>A name needs something to go by: a family or given name, a kana reading, or a Latin name.</summary>
    private static void ValidateName(string path, PersonName name, ValidationErrors errors)
    {
        if (new[] { name.Family, name.Given, name.FamilyKana, name.GivenKana, name.LatinName }.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(path, FieldRules.Required);
        }

        errors.Text(path + ".family", name.Family, CaseLimits.NamePart);
        errors.Text(path + ".given", name.Given, CaseLimits.NamePart);
        errors.Text(path + ".familyKana", name.FamilyKana, CaseLimits.Kana);
        errors.Text(path + ".givenKana", name.GivenKana, CaseLimits.Kana);
        errors.Text(path + ".latinName", name.LatinName, CaseLimits.LatinName);
    }

    private static void ValidateCaseId(string path, string? caseId, ValidationErrors errors)
    {
        if (caseId is not null && !CaseIds.IsValid(caseId))
        {
            errors.Add(path, FieldRules.InvalidId);
        }
    }
}
