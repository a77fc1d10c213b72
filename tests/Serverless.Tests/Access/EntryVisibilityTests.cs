using Serverless.Cases;
using Serverless.Identity;

namespace Serverless.Tests.Access;

/// <summary>
/// <see cref="CaseAccess.CanSeeEntry"/>: who, among those who see a case, sees one entry of it. The author's
/// agency always sees its own entry; admins, auditors and submission keys never see an entry at all.
/// </summary>
public sealed class EntryVisibilityTests
{
    private const string School = "minami-shogakko";
    private const string Nursery = "hikari-hoikuen";
    private const string Health = "midori-hoken-center";

    private static readonly Caller Coordinator = new("p-coordinator", "midori-kodomo-ka", CallerRole.Coordinator);
    private static readonly Caller Teacher = new("p-teacher", School, CallerRole.Member);
    private static readonly Caller NurseryHead = new("p-nursery", Nursery, CallerRole.Member);
    private static readonly Caller Admin = new("p-admin", School, CallerRole.Admin);
    private static readonly Caller Auditor = new("p-auditor", School, CallerRole.Auditor);
    private static readonly Caller Submitter = new("key-school", School, CallerRole.Submitter) { Kind = CallerKind.SubmissionKey };

    public static TheoryData<EntryAudience> Audiences => [EntryAudience.AllParticipants, EntryAudience.CoordinatorsOnly, EntryAudience.NamedAgencies];

    private static EntryScope Named(params string[] agencies) => new(EntryAudience.NamedAgencies, agencies);

    [Theory]
    [MemberData(nameof(Audiences))]
    public void CoordinatorsSeeEveryEntry(EntryAudience audience)
        => Assert.True(CaseAccess.CanSeeEntry(Coordinator, new EntryScope(audience, []), Health));

    [Fact]
    public void AnEntryForAllParticipantsIsSeenByEveryMember()
    {
        Assert.True(CaseAccess.CanSeeEntry(Teacher, EntryScope.AllParticipants, Health));
        Assert.True(CaseAccess.CanSeeEntry(NurseryHead, EntryScope.AllParticipants, Health));
    }

    [Fact]
    public void ACoordinatorsOnlyEntryIsHiddenFromMembersOfOtherAgencies()
    {
        Assert.False(CaseAccess.CanSeeEntry(Teacher, EntryScope.CoordinatorsOnly, Health));
        Assert.False(CaseAccess.CanSeeEntry(NurseryHead, EntryScope.CoordinatorsOnly, Health));
    }

    [Fact]
    public void ANamedAgenciesEntryIsSeenOnlyByTheAgenciesNamed()
    {
        Assert.True(CaseAccess.CanSeeEntry(Teacher, Named(School), Health));
        Assert.False(CaseAccess.CanSeeEntry(NurseryHead, Named(School), Health));
        Assert.False(CaseAccess.CanSeeEntry(NurseryHead, Named(), Health));
        Assert.False(CaseAccess.CanSeeEntry(NurseryHead, Named("HIKARI-HOIKUEN"), Health)); // ids compare exactly
    }

    [Theory]
    [MemberData(nameof(Audiences))]
    public void TheAuthorsOwnAgencyAlwaysSeesItsEntry(EntryAudience audience)
        => Assert.True(CaseAccess.CanSeeEntry(Teacher, new EntryScope(audience, []), School));

    [Theory]
    [MemberData(nameof(Audiences))]
    public void AdminsAuditorsAndSubmissionKeysNeverSeeAnEntryEvenTheirAgencysOwn(EntryAudience audience)
    {
        var scope = new EntryScope(audience, [School]);
        Assert.False(CaseAccess.CanSeeEntry(Admin, scope, School));
        Assert.False(CaseAccess.CanSeeEntry(Auditor, scope, School));
        Assert.False(CaseAccess.CanSeeEntry(Submitter, scope, School));
    }
}
