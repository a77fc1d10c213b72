using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Referrals;

/// <summary>The rules of referrals, their safety confirmations and decisions, each error with its JSON path.
/// Nothing is stored unless these find nothing.</summary>
public static class ReferralValidator
{
    private const int NamePart = 50;

    public static IReadOnlyList<ValidationError> Referral(ReferralRequest request, Caller caller, DateTimeOffset now, out DateTimeOffset observedAt)
    {
        var errors = new ValidationErrors();
        errors.Required("$.kind", request.Kind);
        observedAt = EntryValidator.TimeWithOffset(errors, "$.observedAt", request.ObservedAt, now);
        errors.Required("$.narrative", request.Narrative);
        errors.LongText("$.narrative", request.Narrative, ReferralLimits.Narrative, ReferralLimits.NarrativeUtf16);
        Child(errors, request.Child, JapanTime.DateOf(now));
        Referrer(errors, request.Referrer, required: caller.IsCoordinator);
        EntryValidator.Submitter(errors, "$.submittedBy", request.SubmittedBy, caller);
        if (!caller.IsCoordinator)
        {
            if (request.Intake is not null)
            {
                errors.Add("$.intake", FieldRules.ServerManaged); // a member's or a form's own submission says how it came
            }
        }
        else if (request.Intake is null)
        {
            errors.Add("$.intake", FieldRules.Required);
        }
        else
        {
            errors.Required("$.intake.channel", request.Intake.Channel);
            if (request.Intake.Channel == ReferralChannel.Online)
            {
                errors.Add("$.intake.channel", FieldRules.InvalidValue); // online is what the server records for forms
            }

            errors.Text("$.intake.takenBy", request.Intake.TakenBy, NamePart);
        }

        return errors.All;
    }

    public static IReadOnlyList<ValidationError> Confirmation(SafetyConfirmationRequest request, StoredReferral referral, DateTimeOffset now, out DateTimeOffset seenAt)
    {
        var errors = new ValidationErrors();
        seenAt = EntryValidator.TimeWithOffset(errors, "$.seenAt", request.SeenAt, now);
        if (seenAt != default && seenAt < referral.Content.ObservedAt)
        {
            errors.Add("$.seenAt", FieldRules.BeforeConcern);
        }

        if (request.SeenBy is not { } seenBy)
        {
            errors.Add("$.seenBy", FieldRules.Required);
        }
        else
        {
            errors.Required("$.seenBy.agencyId", seenBy.AgencyId);
            if (seenBy.PersonId is null)
            {
                errors.Required("$.seenBy.name", seenBy.Name);
            }

            errors.Text("$.seenBy.personId", seenBy.PersonId, 100);
            errors.Text("$.seenBy.name", seenBy.Name, NamePart);
        }

        errors.Required("$.method", request.Method);
        errors.Text("$.place", request.Place, ReferralLimits.ShortText);
        errors.LongText("$.condition", request.Condition, ReferralLimits.Summary, ReferralLimits.SummaryUtf16);
        errors.Required("$.injurySeen", request.InjurySeen);
        if (referral.Confirmations >= ReferralLimits.Confirmations)
        {
            errors.Add("$", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = ReferralLimits.Confirmations.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        return errors.All;
    }

    public static IReadOnlyList<ValidationError> Decision(DecisionRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Required("$.outcome", request.Outcome);
        errors.Required("$.meetingDate", request.MeetingDate);
        errors.NotInFuture("$.meetingDate", request.MeetingDate, today);
        var intoCase = request.Outcome is ReferralOutcome.NewCase or ReferralOutcome.ExistingCase;
        if (intoCase)
        {
            errors.Required("$.summary", request.Summary); // what members of the case read instead of the referral
        }

        errors.LongText("$.summary", request.Summary, ReferralLimits.Summary, ReferralLimits.SummaryUtf16);
        Only(errors, "$.record", request.Record, request.Outcome == ReferralOutcome.NewCase);
        Only(errors, "$.confirmedNotDuplicateOf", request.ConfirmedNotDuplicateOf, request.Outcome == ReferralOutcome.NewCase);
        Only(errors, "$.caseId", request.CaseId, request.Outcome == ReferralOutcome.ExistingCase);
        Only(errors, "$.centreAgencyId", request.CentreAgencyId, request.Outcome == ReferralOutcome.ReferredToCentre);
        Only(errors, "$.noConfirmationReason", request.NoConfirmationReason, request.Outcome == ReferralOutcome.NoFurtherAction);
        switch (request.Outcome)
        {
            case ReferralOutcome.ExistingCase:
                errors.Required("$.caseId", request.CaseId);
                if (request.CaseId is not null && !CaseIds.IsValid(request.CaseId))
                {
                    errors.Add("$.caseId", FieldRules.InvalidId);
                }

                break;
            case ReferralOutcome.ReferredToCentre:
                errors.Required("$.centreAgencyId", request.CentreAgencyId);
                break;
            case ReferralOutcome.NoFurtherAction:
                errors.Required("$.reason", request.Reason);
                break;
        }

        errors.Text("$.reason", request.Reason, ReferralLimits.Reason, multiline: true);
        errors.Text("$.noConfirmationReason", request.NoConfirmationReason, ReferralLimits.Reason, multiline: true);
        return errors.All;
    }

    public static IReadOnlyList<ValidationError> Acceptance(CentreAcceptanceRequest request, StoredReferral referral, DateTimeOffset now, out DateTimeOffset acceptedAt)
    {
        var errors = new ValidationErrors();
        acceptedAt = EntryValidator.TimeWithOffset(errors, "$.acceptedAt", request.AcceptedAt, now);
        if (acceptedAt != default && acceptedAt < referral.ReceivedAt)
        {
            errors.Add("$.acceptedAt", FieldRules.DateOrder);
        }

        errors.Text("$.acceptedBy", request.AcceptedBy, NamePart);
        return errors.All;
    }

    private static void Child(ValidationErrors errors, ChildDescription? child, DateOnly today)
    {
        if (child is null)
        {
            errors.Add("$.child", FieldRules.Required);
            return;
        }

        var named = child.Name is { } name && new[] { name.Family, name.Given, name.FamilyKana, name.GivenKana, name.LatinName }.Any(part => !string.IsNullOrWhiteSpace(part));
        if (!named && string.IsNullOrWhiteSpace(child.SchoolOrNursery) && string.IsNullOrWhiteSpace(child.Area) && string.IsNullOrWhiteSpace(child.Address))
        {
            errors.Add("$.child", FieldRules.ChildUnidentified);
        }

        Name(errors, "$.child.name", child.Name);
        if (child.ApproximateAge is < 0 or > ReferralLimits.ApproximateAge)
        {
            errors.Add("$.child.approximateAge", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "0", ["max"] = ReferralLimits.ApproximateAge.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        errors.NotInFuture("$.child.birthDate", child.BirthDate, today);
        errors.Text("$.child.schoolOrNursery", child.SchoolOrNursery, ReferralLimits.ShortText);
        errors.Text("$.child.area", child.Area, ReferralLimits.ShortText);
        errors.Text("$.child.address", child.Address, ReferralLimits.Address);
        errors.Count("$.child.guardians", child.Guardians, ReferralLimits.Guardians);
        for (var i = 0; i < (child.Guardians?.Count ?? 0); i++)
        {
            Name(errors, $"$.child.guardians[{i}].name", child.Guardians![i].Name);
        }
    }

    private static void Referrer(ValidationErrors errors, ReferrerInput? referrer, bool required)
    {
        if (referrer is null)
        {
            if (required)
            {
                errors.Add("$.referrer", FieldRules.Required); // a call or a visit: who it was, or that they would not say
            }

            return;
        }

        if (referrer.Anonymous)
        {
            // Nothing that identifies an anonymous referrer is kept, so nothing can leak.
            foreach (var (field, value) in new[] { ("name", referrer.Name), ("contact", referrer.Contact) })
            {
                if (value is not null)
                {
                    errors.Add("$.referrer." + field, FieldRules.InvalidValue);
                }
            }
        }
        else if (required)
        {
            errors.Required("$.referrer.name", referrer.Name);
        }

        errors.Text("$.referrer.name", referrer.Name, NamePart);
        errors.Text("$.referrer.relation", referrer.Relation, ReferralLimits.ShortText);
        errors.Text("$.referrer.contact", referrer.Contact, ReferralLimits.Contact);
    }

    private static void Name(ValidationErrors errors, string field, PersonName? name)
    {
        if (name is null)
        {
            return;
        }

        errors.Text(field + ".family", name.Family, NamePart);
        errors.Text(field + ".given", name.Given, NamePart);
        errors.Text(field + ".familyKana", name.FamilyKana, NamePart);
        errors.Text(field + ".givenKana", name.GivenKana, NamePart);
        errors.Text(field + ".latinName", name.LatinName, NamePart * 2);
    }

    private static void Only(ValidationErrors errors, string field, object? value, bool allowed)
    {
        if (value is not null && !allowed)
        {
            errors.Add(field, FieldRules.NotForOutcome);
        }
    }
}
