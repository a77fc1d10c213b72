using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Hosting;
using static Serverless.Tests.Identity.MatrixCaller;

namespace Serverless.Tests.Identity;

/// <summary>An expected (or observed) answer: the status and, for a problem, its code.</summary>
internal sealed record MatrixAnswer(int Status, string? Code = null)
{
    public static MatrixAnswer Of(ProblemCode problem) => new(problem.Status, problem.Code);

    public override string ToString() => Code is null ? Status.ToString(CultureInfo.InvariantCulture) : $"{Status} {Code}";
}

/// <summary>What a row sends: values for the route template taken from <c>functions.metadata</c>, a query, a body, headers.</summary>
internal sealed record MatrixRequest(IReadOnlyDictionary<string, string> Route, string Query = "", JsonNode? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static MatrixRequest To(params (string Name, string Value)[] route)
        => new(route.ToDictionary(value => value.Name, value => value.Value, StringComparer.Ordinal));
}

/// <summary>
/// One function's row: what every kind of caller must get, and the request (built per cell, from fresh
/// state) that would succeed for a caller entitled to it. A function with no HTTP trigger has a row that
/// says so, and the matrix checks the metadata agrees: no caller can reach it.
/// </summary>
internal sealed record MatrixRow(string Function, Func<MatrixCaller, MatrixAnswer>? Expect, Func<MatrixWorld, MatrixCaller, Task<MatrixRequest>>? Request)
{
    public bool IsHttp => Request is not null;

    public static MatrixRow NotHttp(string function) => new(function, null, null);

    public static MatrixRow Http(string function, Func<MatrixCaller, MatrixAnswer> expect, Func<MatrixWorld, MatrixCaller, Task<MatrixRequest>> request)
        => new(function, expect, request);

    public static MatrixRow Http(string function, Func<MatrixCaller, MatrixAnswer> expect, Func<MatrixWorld, MatrixCaller, MatrixRequest> request)
        => new(function, expect, (world, caller) => Task.FromResult(request(world, caller)));
}

/// <summary>
/// Who may do what, for every function the app ships. Read a row as the rule for one operation:
/// <list type="bullet">
/// <item>anonymous operations answer everyone alike;</item>
/// <item>every other operation answers 401 to the anonymous caller and 403 <c>auth.membership-expired</c> to a
/// person whose membership has ended, before anything else;</item>
/// <item>case-scoped operations answer 404 to everyone who may not see the case, exactly as for a missing one;</item>
/// <item>lists, search, administration and the audit answer 403 to roles that may not use them.</item>
/// </list>
/// </summary>
internal static partial class AuthorizationMatrix
{
    public static readonly IReadOnlyList<MatrixCaller> Callers = Enum.GetValues<MatrixCaller>();

    /// <summary>The callers who may see the matrix case: everyone else must never get its contents.</summary>
    public static readonly IReadOnlySet<MatrixCaller> SeeTheCase = new HashSet<MatrixCaller> { NamedMember, Coordinator };

    private static readonly MatrixAnswer Ok = new(200);
    private static readonly MatrixAnswer Created = new(201);
    private static readonly MatrixAnswer Accepted = new(202);
    private static readonly MatrixAnswer Unauthenticated = MatrixAnswer.Of(ProblemCatalogue.Unauthenticated);
    private static readonly MatrixAnswer MembershipExpired = MatrixAnswer.Of(ProblemCatalogue.NoActiveMembership);
    private static readonly MatrixAnswer Forbidden = MatrixAnswer.Of(ProblemCatalogue.Forbidden);
    private static readonly MatrixAnswer NotFound = MatrixAnswer.Of(ProblemCatalogue.NotFound);
    private static readonly MatrixAnswer Invalid = MatrixAnswer.Of(ProblemCatalogue.ValidationFailed);
    private static readonly MatrixAnswer DirectUploadUnavailable = MatrixAnswer.Of(ProblemCatalogue.DirectUploadUnavailable);

    private static readonly MatrixCaller[] People = [NamedMember, UnnamedMember, NonParticipatingMember, BarredMember, Coordinator, Auditor, Admin];
    private static readonly MatrixCaller[] Members = [NamedMember, UnnamedMember, NonParticipatingMember, BarredMember];

    public static IReadOnlyList<MatrixRow> Rows { get; } =
    [
        // Open to anyone: no caller is identified, so none is refused.
        MatrixRow.Http("Health", _ => Ok, (_, _) => MatrixRequest.To()),
        MatrixRow.Http("OpenApi", _ => Ok, (_, _) => MatrixRequest.To()),
        // The web app's page: no data in it, anyone may load it (the page then calls the API as the signed-in person).
        MatrixRow.Http("WebApp", _ => Ok, (_, _) => MatrixRequest.To(("file", ""))),
        MatrixRow.Http("RouteNotFound", _ => MatrixAnswer.Of(ProblemCatalogue.RouteNotFound), (_, _) => MatrixRequest.To(("path", "api/no-such-endpoint"))),

        // One case: 404 to everyone who may not see it.
        MatrixRow.Http("GetCase", CaseScoped(coordinator: Ok, namedMember: Ok), (world, _) => MatrixRequest.To(("caseId", world.CaseId))),
        MatrixRow.Http("CaseHistory", CaseScoped(coordinator: Ok, namedMember: Ok), (world, _) => MatrixRequest.To(("caseId", world.CaseId))),
        MatrixRow.Http("UpdateCase", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, _) => MatrixRequest.To(("caseId", world.CaseId)) with
        {
            Body = new JsonObject { ["reason"] = "会議の記録を追記", ["changes"] = new JsonObject { ["notes"] = "検証メモ " + world.Next() } },
            Headers = new Dictionary<string, string> { ["If-Match"] = await world.CurrentETagAsync() },
        }),

        // Entries. Reports come from people who see the case and from the form of an agency on it (which gets the
        // receipt and never reads anything: 404 for reading like everyone outside, 403 for what only people do).
        MatrixRow.Http("SubmitReport", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? Created : NotFound), (world, caller) =>
        {
            var report = Serverless.Tests.Entries.EntryApi.Report("検証の報告 " + world.Next());
            if (caller is KeyOfCaseAgency or KeyOfAnotherAgency)
            {
                report["submittedBy"] = new JsonObject { ["name"] = "検証 フォーム入力者" };
            }

            return MatrixRequest.To(("caseId", world.CaseId)) with { Body = report };
        }),
        MatrixRow.Http("GetReport", CaseScoped(coordinator: Ok, namedMember: Ok), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("reportId", await world.ReportByAsync(NamedMember)))),
        MatrixRow.Http("CorrectReport", SignedIn(caller => caller switch { Coordinator or NamedMember => Created, KeyOfCaseAgency => Forbidden, _ => NotFound }), async (world, caller) =>
            MatrixRequest.To(("caseId", world.CaseId), ("reportId", await world.ReportByAsync(caller == Coordinator ? Coordinator : NamedMember))) with
            {
                Body = new JsonObject { ["reason"] = "記載の誤りを訂正", ["report"] = Serverless.Tests.Entries.EntryApi.Report("訂正後の報告 " + world.Next()) },
            }),
        MatrixRow.Http("AddComment", SignedIn(caller => caller switch { Coordinator or NamedMember => Created, KeyOfCaseAgency => Forbidden, _ => NotFound }), (world, _) => MatrixRequest.To(("caseId", world.CaseId)) with
        {
            Body = new JsonObject { ["text"] = "共有ありがとうございます " + world.Next() },
        }),
        MatrixRow.Http("GetTimeline", CaseScoped(coordinator: Ok, namedMember: Ok), (world, _) => MatrixRequest.To(("caseId", world.CaseId))),
        MatrixRow.Http("RedactEntry", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("entryId", await world.ReportByAsync(NamedMember))) with
        {
            Body = new JsonObject { ["reason"] = "別の児童の記録だったため" },
        }),

        // Files. Sent by whoever may add an entry (a form's key included, which gets its receipt and reads only that);
        // seen, unattached, by the uploader's agency and coordinators; attached only by the agency that wrote the entry.
        MatrixRow.Http("UploadFile", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? Accepted : NotFound), (world, _) => MatrixRequest.To(("caseId", world.CaseId)) with
        {
            Body = new JsonObject { ["note"] = "検証のファイル " + world.Next() },
            Headers = new Dictionary<string, string> { ["X-File-Name"] = "matrix.pdf" },
        }),
        MatrixRow.Http("GetFile", CaseScoped(coordinator: Ok, namedMember: Ok), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.FileByAsync(NamedMember)))),
        MatrixRow.Http("ListFiles", CaseScoped(coordinator: Ok, namedMember: Ok), (world, _) => MatrixRequest.To(("caseId", world.CaseId))),
        MatrixRow.Http("DownloadFile", CaseScoped(coordinator: Ok, namedMember: Ok), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.FileByAsync(NamedMember)))),
        MatrixRow.Http("GetFileThumbnail", CaseScoped(coordinator: Ok, namedMember: Ok), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.FileByAsync(NamedMember, photo: true)))),
        MatrixRow.Http("AttachFile", SignedIn(caller => caller switch { Coordinator or NamedMember => Ok, KeyOfCaseAgency => Forbidden, _ => NotFound }), async (world, caller) =>
        {
            var author = caller == Coordinator ? Coordinator : NamedMember;
            return MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.FileByAsync(author))) with
            {
                Body = new JsonObject { ["entryId"] = await world.ReportByAsync(author) },
            };
        }),

        // Direct upload: started by whoever may upload; its blocks, a fresh address and its completion for its uploader
        // alone (each cell asks about a file the caller started itself, or the named member's). The matrix runs on the usual
        // Azurite, on an account key: storage gives the app no user delegation key there, so starting and renewing answer
        // files.direct-upload-unavailable to exactly the callers who would otherwise get an address (DirectUploadTests
        // proves those on the Azurite with OAuth). Reading the blocks and completing need no key.
        MatrixRow.Http("StartDirectUpload", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? DirectUploadUnavailable : NotFound), (world, _) => MatrixRequest.To(("caseId", world.CaseId)) with
        {
            Body = new JsonObject { ["name"] = "検証 " + world.Next() + ".pdf", ["size"] = 1000 },
        }),
        MatrixRow.Http("GetUploadBlocks", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? Ok : NotFound), async (world, caller) =>
            MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.DirectFileByAsync(Uploader(caller))))),
        MatrixRow.Http("RenewUploadUrl", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? DirectUploadUnavailable : NotFound), async (world, caller) =>
            MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.DirectFileByAsync(Uploader(caller))))),
        MatrixRow.Http("CompleteUpload", SignedIn(caller => caller is Coordinator or NamedMember or KeyOfCaseAgency ? Accepted : NotFound), async (world, caller) =>
            MatrixRequest.To(("caseId", world.CaseId), ("fileId", await world.DirectFileByAsync(Uploader(caller))))),

        // Referrals come before any case: any member, any form and a coordinator entering a call submit them; admins and
        // auditors never touch a child's data (403). Only coordinators read and act on one; its submitter reads its
        // receipt; to everyone else it answers 404, like one that does not exist.
        MatrixRow.Http("SubmitReferral", SignedIn(caller => caller is Auditor or Admin ? Forbidden : Created), (world, caller) =>
        {
            var referral = caller == Coordinator ? Serverless.Tests.Referrals.ReferralApi.PhoneReferral() : Serverless.Tests.Referrals.ReferralApi.Referral("abuse-report", "検証の通告 " + world.Next());
            if (caller is KeyOfCaseAgency or KeyOfAnotherAgency)
            {
                referral["submittedBy"] = new JsonObject { ["name"] = "検証 フォーム入力者" };
            }

            return MatrixRequest.To() with { Body = referral };
        }),
        MatrixRow.Http("ListReferrals", SignedIn(caller => caller is Auditor or Admin ? Forbidden : Ok), (_, _) => MatrixRequest.To() with { Query = "?state=open" }),
        MatrixRow.Http("GetReferral", SignedIn(caller => caller switch { Coordinator or NamedMember => Ok, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralByAsync(NamedMember)))),
        MatrixRow.Http("AddSafetyConfirmation", SignedIn(caller => caller switch { Coordinator => Created, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralByAsync(NamedMember))) with { Body = Serverless.Tests.Referrals.ReferralApi.Sighting() }),
        MatrixRow.Http("DecideReferral", SignedIn(caller => caller switch { Coordinator => Ok, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralByAsync(NamedMember))) with
            {
                Body = new JsonObject { ["outcome"] = "no-further-action", ["meetingDate"] = "2025-06-15", ["reason"] = "助言のみで終了" },
            }),
        // The counts a council reports: coordinators only, every other role and a form 403, like the on-call schedule.
        MatrixRow.Http("GetReferralCounts", Only(Ok, Coordinator), (_, _) => MatrixRequest.To() with { Query = "?fiscalYear=2025" }),
        // The council's counts (#15), as JSON or taken away as a file: coordinators only, like the referral counts.
        MatrixRow.Http("GetStats", Only(Ok, Coordinator), (_, _) => MatrixRequest.To() with { Query = "?fiscalYear=2025&format=xlsx" }),

        // Attendance (定期的な情報提供): the list is a disclosure to the staff the coordinator names for it (not the whole
        // school); the form's key submits rows against its entry ids and reads nothing; the calendar is the agency's own.
        MatrixRow.Http("NameAttendanceStaff", Only(Ok, Coordinator), (_, _) => MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency)) with { Body = MatrixWorld.AttendanceStaff() }),
        MatrixRow.Http("GetAttendanceStaff", Only(Ok, Coordinator, NamedMember), async (world, _) =>
        {
            await world.AttendanceEntryAsync();
            return MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency));
        }),
        MatrixRow.Http("ListCaseForAttendance", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, _) =>
        {
            await world.AttendanceEntryAsync(); // listed already: the coordinator gets the same entry (200)
            return MatrixRequest.To(("caseId", world.CaseId)) with { Body = new JsonObject { ["agencyId"] = MatrixWorld.CaseAgency } };
        }),
        MatrixRow.Http("GetAttendanceList", Only(Ok, Coordinator, NamedMember), async (world, _) =>
        {
            await world.AttendanceEntryAsync();
            return MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency));
        }),
        MatrixRow.Http("SetAttendanceCalendar", Only(Ok, Coordinator, NamedMember, UnnamedMember, BarredMember), (_, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency), ("fiscalYear", "2025")) with { Body = new JsonObject { ["closedDays"] = new JsonArray("2025-07-21") } }),
        MatrixRow.Http("GetAttendanceCalendar", Only(Ok, Coordinator, NamedMember, UnnamedMember, BarredMember), (_, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency), ("fiscalYear", "2025"))),
        MatrixRow.Http("SubmitAttendanceReport", Only(Ok, NamedMember, KeyOfCaseAgency), async (world, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency), ("month", "2025-05")) with { Body = MatrixWorld.AttendanceMonth(await world.AttendanceEntryAsync()) }),
        MatrixRow.Http("GetAttendanceReport", Only(Ok, Coordinator, NamedMember), async (world, _) =>
        {
            await world.AttendanceEntryAsync();
            return MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency), ("month", "2025-05"));
        }),
        MatrixRow.Http("NoticeAbsence", Only(Created, NamedMember, KeyOfCaseAgency), async (world, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency)) with
            {
                Body = new JsonObject { ["entryId"] = await world.AttendanceEntryAsync(), ["dates"] = new JsonArray("2025-06-13"), ["reasonGiven"] = true },
            }),
        MatrixRow.Http("AddCentreAcceptance", SignedIn(caller => caller switch { Coordinator => Ok, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferredToCentreAsync())) with
            {
                Body = new JsonObject { ["acceptedAt"] = "2025-06-16T00:30:00+09:00", ["acceptedBy"] = "児童相談所 受付" },
            }),

        // A referral closed with no further action is disposed of on its own, as a case is: coordinators only; its
        // submitter, like everyone else, gets 404.
        MatrixRow.Http("ProposeReferralDisposal", SignedIn(caller => caller switch { Coordinator => Created, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralPastRetentionAsync())) with
            {
                Body = new JsonObject { ["reason"] = "保存期間満了", ["ruleReference"] = "文書管理規程第12条" },
            }),
        MatrixRow.Http("ApproveReferralDisposal", SignedIn(caller => caller switch { Coordinator => Ok, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralDisposalProposedByAnotherCoordinatorAsync()))),
        MatrixRow.Http("WithdrawReferralDisposal", SignedIn(caller => caller switch { Coordinator => Ok, Auditor or Admin => Forbidden, _ => NotFound }), async (world, _) =>
            MatrixRequest.To(("referralId", await world.ReferralDisposalProposedByAnotherCoordinatorAsync()))),

        // Break-glass is for a designated person outside the case: the coordinator already sees it (400
        // already-visible); a caller not designated gets 404 like a missing case, the named member included.
        MatrixRow.Http("OpenBreakGlass", CaseScoped(coordinator: Invalid, namedMember: NotFound), (world, _) => MatrixRequest.To(("caseId", world.CaseId)) with
        {
            Body = new JsonObject { ["reason"] = "夜間の一時保護の判断に必要" },
        }),
        MatrixRow.Http("ReviewBreakGlass", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("grantId", await world.OpenGrantAsync())) with
        {
            Body = new JsonObject { ["finding"] = "必要な閲覧だった" },
        }),

        // Disposal (廃棄) and legal holds: coordinators only; 404 for whoever may not see the case, 403 for the
        // named member. The coordinator's cells use a case arranged for success (closed long ago, proposed by
        // another coordinator, or held): see MatrixWorld.ClosedCaseAsync.
        MatrixRow.Http("ProposeDisposal", CaseScoped(coordinator: Created, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.ClosedCaseAsync() : world.CaseId)) with
        {
            Body = new JsonObject { ["reason"] = "保存期間満了", ["ruleReference"] = "文書管理規程第12条" },
        }),
        MatrixRow.Http("ApproveDisposal", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.ProposedByAnotherCoordinatorAsync() : world.CaseId))),
        MatrixRow.Http("WithdrawDisposal", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.ProposedByAnotherCoordinatorAsync() : world.CaseId))),
        MatrixRow.Http("PlaceLegalHold", CaseScoped(coordinator: Created, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.ClosedCaseAsync() : world.CaseId)) with
        {
            Body = new JsonObject { ["reason"] = "開示請求への対応中" },
        }),
        MatrixRow.Http("ReleaseLegalHold", CaseScoped(coordinator: Accepted, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.HeldCaseAsync() : world.CaseId)) with
        {
            Body = new JsonObject { ["reason"] = "開示請求への対応が終了" },
        }),
        MatrixRow.Http("ConfirmLegalHoldRelease", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, caller) => MatrixRequest.To(("caseId", caller == Coordinator ? await world.ReleaseProposedByAnotherCoordinatorAsync() : world.CaseId))),

        // Cases in general.
        MatrixRow.Http("CreateCase", Only(Created, Coordinator), (_, _) => MatrixRequest.To() with { Body = new JsonObject { ["record"] = CaseApi.ValidRecord() } }),
        MatrixRow.Http("ListCases", Only(Ok, [Coordinator, .. Members]), (_, _) => MatrixRequest.To() with { Query = "?status=accepted" }),
        // The council's own work (進行管理): the ledger for coordinators and members (their own agency); meetings and
        // reviews for coordinators only (a role check first: no member learns anything of a case); tasks case-scoped.
        MatrixRow.Http("GetLedger", Only(Ok, [Coordinator, .. Members]), (_, _) => MatrixRequest.To()),
        // The ledger's numbered copies for a meeting: coordinators only (members, admins and auditors 403).
        MatrixRow.Http("ExportLedger", Only(Ok, Coordinator), async (world, _) => MatrixRequest.To() with { Query = "?format=csv&meetingId=" + await world.MeetingAsync() }),
        MatrixRow.Http("CreateMeeting", Only(Created, Coordinator), (world, _) => MatrixRequest.To() with
        {
            Body = new JsonObject { ["kind"] = "practitioners", ["date"] = world.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["attendingAgencyIds"] = new JsonArray(MatrixWorld.LeadAgency, MatrixWorld.CaseAgency) },
        }),
        MatrixRow.Http("GetMeeting", Only(Ok, Coordinator), async (world, _) => MatrixRequest.To(("meetingId", await world.MeetingAsync()))),
        MatrixRow.Http("ReviewCase", Only(Created, Coordinator), async (world, caller) => MatrixRequest.To(("meetingId", await world.MeetingAsync())) with
        {
            Body = new JsonObject { ["caseId"] = caller == Coordinator ? await world.FreshCaseAsync() : world.CaseId, ["status"] = "registered", ["supportPolicy"] = "学校で見守り、月1回の家庭訪問" },
            Headers = new Dictionary<string, string> { ["If-Match"] = "\"v1\"" },
        }),
        MatrixRow.Http("ListCaseTasks", CaseScoped(coordinator: Ok, namedMember: Ok), (world, _) => MatrixRequest.To(("caseId", world.CaseId))),
        MatrixRow.Http("CompleteCaseTask", CaseScoped(coordinator: Ok, namedMember: Ok), async (world, _) => MatrixRequest.To(("caseId", world.CaseId), ("taskId", await world.TaskAsync()))),
        MatrixRow.Http("SearchCases", Only(Ok, Coordinator), (world, _) => MatrixRequest.To() with { Body = new JsonObject { ["name"] = world.ChildNames[1] } }),
        MatrixRow.Http("ListBreakGlassAwaitingReview", Only(Ok, Coordinator), (_, _) => MatrixRequest.To()),
        // The council's agencies (names are not child data): every signed-in person; a form's key 403.
        MatrixRow.Http("ListCouncilAgencies", Only(Ok, People), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("ListNotifications", Only(Ok, People), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("CountUnreadNotifications", Only(Ok, People), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("MarkNotificationsRead", Only(Ok, People), (_, _) => MatrixRequest.To() with { Body = new JsonObject() }),
        // An id no inbox holds: every person is answered from their own inbox only (404), a form's key has none (403).
        MatrixRow.Http("MarkNotificationRead", Only(NotFound, People), (_, _) => MatrixRequest.To(("notificationId", "2516522993999999999-0badf00d"))),
        MatrixRow.Http("GetAudit", Only(Ok, Coordinator, Auditor), (world, _) => MatrixRequest.To() with { Query = "?caseId=" + world.CaseId }),

        // The coordinators' on-call schedule (当番): coordinators only, every other role 403. The save names the version read.
        MatrixRow.Http("GetOnCallSchedule", Only(Ok, Coordinator), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("SaveOnCallSchedule", Only(Ok, Coordinator), async (world, _) => MatrixRequest.To() with
        {
            Body = new JsonObject
            {
                ["weekly"] = new JsonArray(new JsonObject { ["day"] = "monday", ["from"] = "17:30", ["to"] = "08:30", ["personIds"] = new JsonArray(MatrixWorld.PersonId("coordinator-sato")) }),
                ["exceptions"] = new JsonArray(),
            },
            Headers = new Dictionary<string, string> { ["If-Match"] = await world.OnCallETagAsync() },
        }),

        // Administration. Memberships: admins grant and end every role but coordinator, which only a
        // coordinator grants and ends; each caller asks for the role their own would allow.
        MatrixRow.Http("ListAgencies", Only(Ok, Admin, Coordinator), (_, _) => MatrixRequest.To()),
        // A kind that may lead cases is a coordinator's to save, every other an admin's (each asks for the kind it may save).
        MatrixRow.Http("SaveAgency", Only(Created, Admin, Coordinator), (world, caller) => MatrixRequest.To(("agencyId", "matrix-agency-" + world.Next())) with
        {
            Body = new JsonObject { ["name"] = "検証の機関", ["kind"] = caller == Coordinator ? "child-guidance-centre" : "npo", ["isCouncilMember"] = false, ["confidentialityAcknowledgedOn"] = null },
        }),
        MatrixRow.Http("ListPeople", Only(Ok, Admin, Coordinator), (_, _) => MatrixRequest.To()),
        // Transfer partners (移管): an admin registers, a coordinator confirms (an admin may not: the break-glass separation).
        MatrixRow.Http("ListTransferPartners", Only(Ok, Admin, Coordinator), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("GetTransferIdentity", Only(Ok, Admin, Coordinator), (_, _) => MatrixRequest.To()),
        MatrixRow.Http("SaveTransferPartner", Only(Created, Admin), (world, _) => MatrixRequest.To(("municipalityCode", world.NewMunicipalityCode())) with
        {
            Body = world.TransferPartnerRegistration(),
        }),
        MatrixRow.Http("ConfirmTransferPartner", SignedIn(caller => caller switch { Coordinator => Ok, Admin => MatrixAnswer.Of(ProblemCatalogue.CoordinatorAct), _ => Forbidden }), async (world, _) =>
            MatrixRequest.To(("municipalityCode", await world.TransferPartnerAsync())) with { Body = world.TransferPartnerConfirmation() }),
        // Messages from partner councils. The intake reads no credentials (a message is trusted on a confirmed partner's
        // signature alone), so every caller, signed in or not, gets the same answer to a message that is not one: 403.
        MatrixRow.Http("ReceiveTransfer", _ => MatrixAnswer.Of(ProblemCatalogue.TransferRefused), (world, _) => MatrixRequest.To() with
        {
            Body = new JsonObject { ["not"] = "a sealed transfer message " + world.Next() },
        }),
        MatrixRow.Http("ListTransfers", Only(Ok, Coordinator), (_, _) => MatrixRequest.To() with { Query = "?direction=incoming" }),
        // Receiving (a message never received: the coordinator passes the role check and meets 404; everyone else 403 first,
        // before the message is looked up or the body read). TransferReceivingTests covers the coordinator's real answers.
        MatrixRow.Http("ReadIncomingTransfer", Only(NotFound, Coordinator), (world, _) =>
            MatrixRequest.To(("senderMunicipalityCode", world.NewMunicipalityCode()), ("messageId", Serverless.Transfers.Envelope.TransferIds.NewMessageId()))),
        MatrixRow.Http("AcceptIncomingTransfer", Only(NotFound, Coordinator), (world, _) =>
            MatrixRequest.To(("senderMunicipalityCode", world.NewMunicipalityCode()), ("messageId", Serverless.Transfers.Envelope.TransferIds.NewMessageId())) with { Body = new JsonObject() }),
        MatrixRow.Http("RequestMoreOnIncomingTransfer", Only(NotFound, Coordinator), (world, _) =>
            MatrixRequest.To(("senderMunicipalityCode", world.NewMunicipalityCode()), ("messageId", Serverless.Transfers.Envelope.TransferIds.NewMessageId())) with { Body = new JsonObject { ["request"] = "検証のための追加依頼" } }),
        MatrixRow.Http("ReadTransferFile", Only(Ok, Coordinator), async (world, _) =>
        {
            var (sender, messageId, fileId) = await world.ReceivedTransferFileAsync();
            return MatrixRequest.To(("senderMunicipalityCode", sender), ("messageId", messageId), ("fileId", fileId));
        }),
        // Sending a case (移管): a coordinator, through the case gate (a fresh case each time: one transfer per case).
        MatrixRow.Http("SendTransfer", CaseScoped(coordinator: Accepted, namedMember: Forbidden), async (world, caller) =>
            MatrixRequest.To(("caseId", caller == Coordinator ? await world.FreshCaseAsync() : world.CaseId)) with { Body = MatrixWorld.TransferRequest(await world.ConfirmedTransferPartnerAsync()) }),
        // After the send (a fresh case and transfer for the coordinator; the others meet the case gate first).
        MatrixRow.Http("RecordTransferHandover", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, caller) =>
        {
            var (caseId, messageId) = caller == Coordinator ? await world.SentTransferAsync() : (world.CaseId, Serverless.Transfers.Envelope.TransferIds.NewMessageId());
            return MatrixRequest.To(("caseId", caseId), ("messageId", messageId)) with { Body = new JsonObject { ["date"] = world.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } };
        }),
        MatrixRow.Http("WithdrawTransfer", CaseScoped(coordinator: Ok, namedMember: Forbidden), async (world, caller) =>
        {
            var (caseId, messageId) = caller == Coordinator ? await world.SentTransferAsync() : (world.CaseId, Serverless.Transfers.Envelope.TransferIds.NewMessageId());
            return MatrixRequest.To(("caseId", caseId), ("messageId", messageId)) with { Body = new JsonObject { ["reason"] = "検証のための取り下げ" } };
        }),
        // The export file for a council without this system: a coordinator, through the case gate; nothing is stored.
        MatrixRow.Http("ExportTransferFile", CaseScoped(coordinator: Ok, namedMember: Forbidden), (world, _) =>
            MatrixRequest.To(("caseId", world.CaseId)) with { Body = MatrixWorld.TransferFileRequest() }),
        MatrixRow.Http("RegisterPerson", Only(Created, Admin), (world, _) => MatrixRequest.To() with
        {
            Body = new JsonObject { ["issuer"] = "development", ["subject"] = "matrix-new-" + world.Next(), ["displayName"] = "検証 新任" },
        }),
        MatrixRow.Http("GrantMembership", Only(Created, Admin, Coordinator), async (world, caller) => MatrixRequest.To(("personId", await world.NewPersonAsync())) with
        {
            Body = new JsonObject
            {
                ["agencyId"] = caller == Coordinator ? MatrixWorld.LeadAgency : MatrixWorld.OtherAgency,
                ["role"] = caller == Coordinator ? "coordinator" : "member",
                ["validFrom"] = world.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["validTo"] = null,
                ["mayBreakGlass"] = false,
            },
        }),
        MatrixRow.Http("ConfirmEndMembership", Only(Ok, Coordinator), async (world, _) =>
        {
            var (personId, membershipId) = await world.EndProposedByAnotherCoordinatorAsync();
            return MatrixRequest.To(("personId", personId), ("membershipId", membershipId));
        }),

        // Another coordinator's coordinator membership is proposed for ending (202); a second coordinator confirms it.
        MatrixRow.Http("EndMembership", SignedIn(caller => caller switch { Admin => Ok, Coordinator => Accepted, _ => Forbidden }), async (world, caller) =>
        {
            var (personId, membershipId) = await world.NewMembershipAsync(caller == Coordinator ? CallerRole.Coordinator : CallerRole.Member);
            return MatrixRequest.To(("personId", personId), ("membershipId", membershipId)) with
            {
                Body = new JsonObject { ["lastDay"] = world.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            };
        }),
        MatrixRow.Http("IssueSubmissionKey", Only(Created, Admin), (world, _) => MatrixRequest.To(("agencyId", MatrixWorld.OtherAgency)) with
        {
            Body = new JsonObject { ["label"] = "検証フォーム " + world.Next(), ["expiresAt"] = null, ["allowedOrigins"] = null, ["allowedAddresses"] = null },
        }),
        MatrixRow.Http("ListSubmissionKeys", Only(Ok, Admin), (_, _) => MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency))),
        MatrixRow.Http("RevokeSubmissionKey", Only(Ok, Admin), async (world, _) => MatrixRequest.To(("agencyId", MatrixWorld.OtherAgency), ("keyId", await world.NewSpareKeyIdAsync()))),
        MatrixRow.Http("RotateSubmissionKey", Only(Created, Admin), async (world, _) => MatrixRequest.To(("agencyId", MatrixWorld.OtherAgency), ("keyId", await world.NewSpareKeyIdAsync())) with
        {
            Body = new JsonObject { ["overlapSeconds"] = 0 },
        }),

        // An agency's webhooks: admins only, every other role 403 (coordinators included).
        MatrixRow.Http("SaveWebhook", Only(Created, Admin), (world, _) => MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency), ("name", "matrix-" + world.Next())) with
        {
            Body = new JsonObject { ["url"] = Serverless.Tests.Webhooks.WebhookMatrix.PublicUrl, ["format"] = "slack" },
        }),
        MatrixRow.Http("ListWebhooks", Only(Ok, Admin), (_, _) => MatrixRequest.To(("agencyId", MatrixWorld.CaseAgency))),
        MatrixRow.Http("DeleteWebhook", Only(Ok, Admin), async (world, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.OtherAgency), ("name", await Serverless.Tests.Webhooks.WebhookMatrix.NewWebhookAsync(world, Serverless.Notifications.Webhooks.WebhookFormat.Teams)))),
        MatrixRow.Http("RotateWebhookSecret", Only(Ok, Admin), async (world, _) =>
            MatrixRequest.To(("agencyId", MatrixWorld.OtherAgency), ("name", await Serverless.Tests.Webhooks.WebhookMatrix.NewWebhookAsync(world, Serverless.Notifications.Webhooks.WebhookFormat.Generic)))),

        // Timers and queues: no HTTP trigger, so no caller reaches them.
        MatrixRow.NotHttp("AttendanceReminders"),
        MatrixRow.NotHttp("AuditSeal"),
        MatrixRow.NotHttp("Backup"),
        MatrixRow.NotHttp("DeadLetterSweep"),
        MatrixRow.NotHttp("DisposalCatchUp"),
        MatrixRow.NotHttp("DisposalRun"),
        MatrixRow.NotHttp("EntryAdded"),
        MatrixRow.NotHttp("EntryEventsCatchUp"),
        MatrixRow.NotHttp("FileSweep"),
        MatrixRow.NotHttp("HealthProbe"),
        MatrixRow.NotHttp("ReferralClock"),
        MatrixRow.NotHttp("TaskReminders"),
        MatrixRow.NotHttp("ValidateFile"),
        MatrixRow.NotHttp("WebhookDelivery"),
        MatrixRow.NotHttp("TransferDelivery"),
        MatrixRow.NotHttp("TransferAnswerDelivery"),
        MatrixRow.NotHttp("TransferFileDelivery"),
        MatrixRow.NotHttp("TransferDeadlines"),
    ];

    /// <summary>
    /// Every function in the metadata has exactly one row, every row names a function that exists, and a row
    /// says "not HTTP" exactly when the function has no HTTP trigger. One line per problem.
    /// </summary>
    public static IReadOnlyList<string> CoverageProblems(IEnumerable<FunctionsMetadataEntry> entries, IEnumerable<MatrixRow> rows)
    {
        var problems = new List<string>();
        var entryList = entries.ToList();
        var rowList = rows.ToList();
        foreach (var duplicate in rowList.GroupBy(row => row.Function, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: {duplicate.Count()} rows in the authorization matrix (one each)");
        }

        var byName = rowList.DistinctBy(row => row.Function, StringComparer.Ordinal).ToDictionary(row => row.Function, StringComparer.Ordinal);
        foreach (var entry in entryList)
        {
            if (!byName.TryGetValue(entry.Name, out var row))
            {
                problems.Add($"{entry.Name}: no row in the authorization matrix (say who may call it)");
                continue;
            }

            var hasHttpTrigger = entry.Bindings.Any(binding => binding["type"]?.GetValue<string>() == "httpTrigger");
            if (hasHttpTrigger && !row.IsHttp)
            {
                problems.Add($"{entry.Name}: has an HTTP trigger, but its row says no caller can reach it");
            }
            else if (!hasHttpTrigger && row.IsHttp)
            {
                problems.Add($"{entry.Name}: has no HTTP trigger ({entry.TriggerType}), but its row sends it requests");
            }
        }

        foreach (var row in rowList.Where(row => entryList.All(entry => entry.Name != row.Function)).DistinctBy(row => row.Function))
        {
            problems.Add($"{row.Function}: a row for a function that is not in functions.metadata");
        }

        return problems;
    }

    /// <summary>The path of a request to the function: its metadata route with the row's values put in.</summary>
    public static string Path(FunctionsMetadataEntry entry, MatrixRequest request)
    {
        var route = entry.Trigger["route"]!.GetValue<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var path = RouteParameter().Replace(route, match =>
        {
            var name = match.Groups["name"].Value;
            if (!request.Route.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"{entry.Name}: the row gives no value for {{{name}}} in route {route}");
            }

            used.Add(name);
            return match.Groups["catchAll"].Success ? value : Uri.EscapeDataString(value);
        });
        var unused = request.Route.Keys.Where(name => !used.Contains(name)).ToList();
        return unused.Count > 0
            ? throw new InvalidOperationException($"{entry.Name}: route {route} has no parameter {string.Join(", ", unused)}")
            : path + request.Query;
    }

    /// <summary>The method of a request to the function (the first its trigger declares).</summary>
    public static HttpMethod Method(FunctionsMetadataEntry entry)
        => new(entry.Trigger["methods"]!.AsArray()[0]!.GetValue<string>().ToUpperInvariant());

    /// <summary>The whole matrix as a table: function by caller, the expected answer, and "≠ actual" where it differed.</summary>
    public static string Table(IReadOnlyList<MatrixCell> cells)
    {
        var functions = cells.Select(cell => cell.Function).Distinct(StringComparer.Ordinal).ToList();
        var columns = Callers.Select(Short).ToList();
        var text = functions.ToDictionary(function => function, function => Callers.Select(caller => cells.Single(cell => cell.Function == function && cell.Caller == caller).Describe()).ToList(), StringComparer.Ordinal);
        var firstWidth = functions.Max(function => function.Length);
        var widths = columns.Select((column, i) => Math.Max(column.Length, text.Values.Max(row => row[i].Length))).ToList();
        var table = new StringBuilder();
        table.Append("function".PadRight(firstWidth));
        for (var i = 0; i < columns.Count; i++)
        {
            table.Append(" | ").Append(columns[i].PadRight(widths[i]));
        }

        table.AppendLine();
        foreach (var function in functions)
        {
            table.Append(function.PadRight(firstWidth));
            for (var i = 0; i < columns.Count; i++)
            {
                table.Append(" | ").Append(text[function][i].PadRight(widths[i]));
            }

            table.AppendLine();
        }

        return table.ToString();
    }

    public static string Short(MatrixCaller caller) => caller switch
    {
        Anonymous => "anonymous",
        KeyOfCaseAgency => "key:case-agency",
        KeyOfAnotherAgency => "key:other-agency",
        NamedMember => "named",
        UnnamedMember => "unnamed",
        NonParticipatingMember => "non-participating",
        BarredMember => "barred",
        ExpiredMember => "expired",
        Coordinator => "coordinator",
        Auditor => "auditor",
        Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    /// <summary>Who started the direct upload a cell asks about: the caller itself when it may upload, else the named member.</summary>
    private static MatrixCaller Uploader(MatrixCaller caller) => caller is Coordinator or NamedMember or KeyOfCaseAgency ? caller : NamedMember;

    /// <summary>Anonymous: 401. A membership that has ended: 403 <c>auth.membership-expired</c>. Both before anything else.</summary>
    private static Func<MatrixCaller, MatrixAnswer> SignedIn(Func<MatrixCaller, MatrixAnswer> others)
        => caller => caller switch
        {
            Anonymous => Unauthenticated,
            ExpiredMember => MembershipExpired,
            _ => others(caller),
        };

    /// <summary>The allowed callers get <paramref name="success"/>; every other signed-in caller 403.</summary>
    private static Func<MatrixCaller, MatrixAnswer> Only(MatrixAnswer success, params MatrixCaller[] allowed)
        => SignedIn(caller => allowed.Contains(caller) ? success : Forbidden);

    /// <summary>The two callers who may see the case get their own answers; everyone else 404, like a missing case.</summary>
    private static Func<MatrixCaller, MatrixAnswer> CaseScoped(MatrixAnswer coordinator, MatrixAnswer namedMember)
        => SignedIn(caller => caller switch
        {
            Coordinator => coordinator,
            NamedMember => namedMember,
            _ => NotFound,
        });

    [GeneratedRegex(@"\{(?<catchAll>\*)?(?<name>[A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}

/// <summary>One cell: a function and a caller, what was expected and what came back (null for a function no caller can reach).</summary>
internal sealed record MatrixCell(string Function, MatrixCaller Caller, MatrixAnswer? Expected, MatrixAnswer? Actual, string? Failure = null)
{
    public bool Passed => Failure is null && Expected == Actual;

    public string Describe()
        => Expected is null && Actual is null && Failure is null ? "no HTTP"
            : Passed ? Expected!.ToString()
            : $"{Expected?.ToString() ?? "no HTTP"} ≠ {Actual?.ToString() ?? Failure}";
}
