using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.SubmissionKeys;
using Serverless.Identity.Tokens;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Identity;

/// <summary>The eleven kinds of caller the authorization matrix asks every function about.</summary>
public enum MatrixCaller
{
    Anonymous,
    KeyOfCaseAgency,
    KeyOfAnotherAgency,
    NamedMember,
    UnnamedMember,
    NonParticipatingMember,
    BarredMember,
    ExpiredMember,
    Coordinator,
    Auditor,
    Admin,
}

/// <summary>
/// One host and one case for the whole matrix: led by the municipal division, the school as key agency,
/// teacher-tanaka named for the school, a barred member of the school, and a member of the school whose
/// only membership ended yesterday (named too, so the end of the membership is all that stops them).
/// Two submission keys: the school's (the case's agency) and the nursery's (another). The clock stands
/// at 00:30 on 16 June 2025 in Japan (15 June in UTC), so "yesterday" is visibly Japan's.
/// </summary>
internal sealed class MatrixWorld : IAsyncDisposable
{
    public const string LeadAgency = "midori-kodomo-ka";
    public const string CaseAgency = "minami-shogakko";
    public const string OtherAgency = "hikari-hoikuen";
    public const string BarredSubject = "matrix-barred-teacher";
    public const string ExpiredSubject = "matrix-transferred-teacher";

    /// <summary>Designated for break-glass and not on the case: opens the grants the review row needs.</summary>
    public const string BreakGlassOpener = "jisou-ito";

    public static readonly DateTimeOffset Now = new(2025, 6, 15, 15, 30, 0, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;
    private int counter;

    private int openedThroughApi;

    private readonly SemaphoreSlim attendanceLock = new(1, 1);

    private string? attendanceEntryId;

    private MatrixWorld(TestHost host) => Host = host;

    public TestHost Host { get; }

    public DateOnly Today => JapanTime.Today(Host.Get<TimeProvider>());

    public string CaseId { get; private set; } = "";

    /// <summary>The child's family name (kanji and kana): never in an answer to a caller who may not see the case.</summary>
    public IReadOnlyList<string> ChildNames { get; private set; } = [];

    /// <summary>Who referred the child to the council, planted in the referrals decided into the case: never in an answer
    /// to anyone but a coordinator, the members who see the case included.</summary>
    public IReadOnlyList<string> ReferrerSecrets { get; } = ["通告者 真壁 澄子", "080-9999-0412", "担任の私が昼休みに見た", "南小 担任 真壁"];

    public string CaseAgencyKey { get; private set; } = "";

    public string CaseAgencyKeyId { get; private set; } = "";

    public string OtherAgencyKey { get; private set; } = "";

    /// <param name="settings">Configuration that replaces the test host's (see <see cref="TestHost.StartAsync"/>).</param>
    /// <param name="backgroundTriggers">Run the queue listeners (and timers, on the world's fake clock) as the whole-app canary does.</param>
    /// <param name="telemetry">Turn Application Insights on, sent to a capture (see <see cref="TestHost.StartAsync"/>).</param>
    /// <param name="services">Service overrides, e.g. recorded storage clients (<see cref="StorageTraffic"/>).</param>
    /// <param name="hostSettings">host.json settings that replace the test host's (e.g. a short dequeue count).</param>
    public static async Task<MatrixWorld> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null,
        bool backgroundTriggers = false,
        bool telemetry = false,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null,
        Action<HostSettings>? hostSettings = null)
    {
        // This council takes part in transfers (移管), so the coordinator's send can succeed; the caller's settings win.
        var all = new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = OwnMunicipalityCode,
            ["Transfers:SigningKeyPem"] = PartnerKeys.Value.SigningPrivatePem,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var world = new MatrixWorld(await TestHost.StartAsync(
            backgroundTriggers: backgroundTriggers,
            clock: new FakeTimeProvider(Now),
            hostSettings: hostSettings,
            services: services,
            settings: all,
            telemetry: telemetry));
        await world.SetUpAsync();
        return world;
    }

    public static string? Subject(MatrixCaller caller) => caller switch
    {
        MatrixCaller.NamedMember => "teacher-tanaka",
        MatrixCaller.UnnamedMember => "teacher-kimura",
        MatrixCaller.NonParticipatingMember => "nursery-yamada",
        MatrixCaller.BarredMember => BarredSubject,
        MatrixCaller.ExpiredMember => ExpiredSubject,
        MatrixCaller.Coordinator => "coordinator-sato",
        MatrixCaller.Auditor => "auditor-watanabe",
        MatrixCaller.Admin => "admin-kobayashi",
        _ => null,
    };

    public static string PersonId(string subject) => PersonIds.For(DevelopmentTokens.IssuerName, subject);

    /// <summary>The Authorization header this caller sends, or null for none.</summary>
    public string? Authorization(MatrixCaller caller) => caller switch
    {
        MatrixCaller.Anonymous => null,
        MatrixCaller.KeyOfCaseAgency => "SubmissionKey " + CaseAgencyKey,
        MatrixCaller.KeyOfAnotherAgency => "SubmissionKey " + OtherAgencyKey,
        _ => TestTokens.Bearer(Host, Subject(caller)!),
    };

    public Task<HttpResponseMessage> SendAsync(MatrixCaller caller, HttpMethod method, string path, JsonNode? body = null, IReadOnlyDictionary<string, string>? headers = null)
        => SendWithAsync(Authorization(caller), method, path, body, headers);

    /// <summary>As a person outside the eleven kinds (by development subject).</summary>
    public Task<HttpResponseMessage> SendAsSubjectAsync(string subject, HttpMethod method, string path, JsonNode? body = null)
        => SendWithAsync(TestTokens.Bearer(Host, subject), method, path, body, null);

    private async Task<HttpResponseMessage> SendWithAsync(string? authorization, HttpMethod method, string path, JsonNode? body, IReadOnlyDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : CaseApi.Json(body) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Host.Client.SendAsync(request);
    }

    /// <summary>A suffix no earlier cell used (fresh agency ids, subjects, labels).</summary>
    public string Next() => Interlocked.Increment(ref counter).ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>The case's current ETag, read as the coordinator.</summary>
    public async Task<string> CurrentETagAsync()
    {
        using var response = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, "api/cases/" + CaseId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return CaseApi.ETag(response)!;
    }

    /// <summary>One key pair for every transfer partner the matrix registers (generating RSA-3072 per cell is slow).</summary>
    private static readonly Lazy<Serverless.Tests.Transfers.TestTransferKeys> PartnerKeys = new(() => new Serverless.Tests.Transfers.TestTransferKeys());

    /// <summary>A municipality code no earlier cell used, with its check digit.</summary>
    public string NewMunicipalityCode()
    {
        var five = "2" + Interlocked.Increment(ref counter).ToString("D4", CultureInfo.InvariantCulture);
        var sum = Enumerable.Range(0, 5).Sum(i => (five[i] - '0') * (6 - i));
        return five + ((11 - (sum % 11)) % 10).ToString(CultureInfo.InvariantCulture);
    }

    public JsonObject TransferPartnerRegistration() => new()
    {
        ["displayName"] = "検証の自治体",
        ["endpointUrl"] = "https://partner.example.jp/api/transfers/incoming",
        ["encryptionKeyPem"] = PartnerKeys.Value.EncryptionPublicPem,
        ["verificationKeyPem"] = PartnerKeys.Value.SigningPublicPem,
    };

    public JsonObject TransferPartnerConfirmation() => new()
    {
        ["encryptionKeyFingerprint"] = PartnerKeys.Value.EncryptionFingerprint,
        ["verificationKeyFingerprint"] = PartnerKeys.Value.SigningFingerprint,
        ["version"] = 1,
    };

    /// <summary>This council's code in the matrix (高松市): never one <see cref="NewMunicipalityCode"/> makes (those start with 2).</summary>
    public const string OwnMunicipalityCode = "372013";

    /// <summary>A fresh partner, registered and confirmed (stored as the admin's PUT and the coordinator's confirmation
    /// would store it, so the cell does not depend on the admin API's network rule).</summary>
    public async Task<string> ConfirmedTransferPartnerAsync()
    {
        var code = NewMunicipalityCode();
        var keys = PartnerKeys.Value;
        Assert.True(await Host.Get<Serverless.Transfers.Partners.TransferPartnerStore>().SaveAsync(
            new Serverless.Transfers.Partners.TransferPartnerEntity
            {
                RowKey = code,
                DisplayName = "検証の自治体",
                EndpointUrl = "https://partner.example.jp/api/transfers/incoming",
                EncryptionKeyPem = keys.EncryptionPublicPem,
                EncryptionKeyFingerprint = keys.EncryptionFingerprint,
                VerificationKeyPem = keys.SigningPublicPem,
                VerificationKeyFingerprint = keys.SigningFingerprint,
                Version = 1,
                UpdatedAt = Now,
                UpdatedBy = "p-admin",
                ConfirmedVersion = 1,
                ConfirmedAt = Now,
                ConfirmedBy = "p-coordinator",
            },
            CancellationToken.None));
        return code;
    }

    /// <summary>A valid transfer request to <paramref name="partner"/> (a medium-risk case, no face-to-face date needed).</summary>
    public static JsonObject TransferRequest(string partner) => new()
    {
        ["receiverMunicipalityCode"] = partner,
        ["reason"] = new JsonObject { ["kind"] = "family-move" },
        ["riskLevel"] = "medium",
        ["summary"] = "転居に伴い移管します。",
        ["faceToFace"] = new JsonObject { ["arranged"] = false },
    };

    /// <summary>A valid export-file request: the recipient's key is the matrix partner's, with its fingerprint as read out.</summary>
    public static JsonObject TransferFileRequest() => new()
    {
        ["recipient"] = new JsonObject
        {
            ["municipalityCode"] = "131016",
            ["encryptionKeyPem"] = PartnerKeys.Value.EncryptionPublicPem,
            ["encryptionKeyFingerprint"] = PartnerKeys.Value.EncryptionFingerprint,
        },
        ["reason"] = new JsonObject { ["kind"] = "family-move" },
        ["riskLevel"] = "medium",
        ["summary"] = "転居に伴い移管します。",
        ["faceToFace"] = new JsonObject { ["arranged"] = false },
    };

    /// <summary>A fresh case sent by the coordinator to a fresh confirmed partner: its id and the transfer's message id.</summary>
    public async Task<(string CaseId, string MessageId)> SentTransferAsync()
    {
        var caseId = await FreshCaseAsync();
        using var response = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, $"api/cases/{caseId}/transfers", TransferRequest(await ConfirmedTransferPartnerAsync()));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return (caseId, (string)JsonNode.Parse(body)!["messageId"]!);
    }

    /// <summary>A carried file received from a partner (row and bytes as the file intake stores them): sender, package, file ids.</summary>
    public async Task<(string Sender, string MessageId, string FileId)> ReceivedTransferFileAsync()
    {
        var store = Host.Get<Serverless.Transfers.CarriedFiles.IncomingTransferFileStore>();
        var (sender, messageId, fileId) = (NewMunicipalityCode(), Serverless.Transfers.Envelope.TransferIds.NewMessageId(), Serverless.Files.Storage.FileIds.New());
        var content = "写真"u8.ToArray();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        Assert.True(await store.StoreBlobAsync(sender, messageId, fileId, content, sha256, CancellationToken.None));
        Assert.True(await store.InsertAsync(
            new Serverless.Transfers.CarriedFiles.IncomingTransferFileEntity
            {
                PartitionKey = sender,
                RowKey = Serverless.Transfers.CarriedFiles.IncomingTransferFileEntity.Row(messageId, fileId),
                PackageMessageId = messageId,
                FileId = fileId,
                FileMessageId = Serverless.Transfers.Envelope.TransferIds.NewMessageId(),
                Name = "写真.jpg",
                ContentType = "image/jpeg",
                Sha256 = sha256,
                Length = content.Length,
                ReceivedAt = CaseApi.Now,
            },
            CancellationToken.None));
        return (sender, messageId, fileId);
    }

    /// <summary>A fresh partner registered by the admin, not yet confirmed (version 1).</summary>
    public async Task<string> TransferPartnerAsync()
    {
        var code = NewMunicipalityCode();
        using var response = await SendAsync(MatrixCaller.Admin, HttpMethod.Put, "api/admin/transfer-partners/" + code, TransferPartnerRegistration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return code;
    }

    /// <summary>The on-call schedule's current ETag, read as the coordinator.</summary>
    public async Task<string> OnCallETagAsync()
    {
        using var response = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, "api/on-call");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return CaseApi.ETag(response)!;
    }

    /// <summary>A fresh report on the case, seen by all participants, written by <paramref name="author"/> (the coordinator or the named member).</summary>
    public async Task<string> ReportByAsync(MatrixCaller author)
    {
        using var response = await SendAsync(author, HttpMethod.Post, $"api/cases/{CaseId}/reports", Serverless.Tests.Entries.EntryApi.Report("検証の報告 " + Next()));
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["entryId"]!;
    }

    /// <summary>A file uploaded by <paramref name="author"/> (a PDF, or a photo), validated and attached to nothing: seen by the
    /// author's agency and coordinators.</summary>
    public async Task<string> FileByAsync(MatrixCaller author, bool photo = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{CaseId}/files")
        {
            Content = new ByteArrayContent(photo ? Serverless.Tests.Files.TestPhotos.PhoneJpeg() : Serverless.Tests.Files.TestPdfs.Letter()),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(author));
        request.Headers.TryAddWithoutValidation("X-File-Name", photo ? "photo.jpg" : "letter.pdf");
        using var response = await Host.Client.SendAsync(request);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        var fileId = (string)body["fileId"]!;
        await Host.Get<Serverless.Files.Validation.FileValidationQueue>().ValidateAsync(CaseId, fileId, CancellationToken.None);
        return fileId;
    }

    /// <summary>
    /// A direct upload started by <paramref name="author"/> (the coordinator, the named member or the case agency's key)
    /// whose blocks are committed but which is not completed: its row as the start writes it, and its blob written with
    /// the app's own client as the uploader's address would have. The matrix runs on the usual Azurite, where the app
    /// gets no user delegation key and so cannot start one itself.
    /// </summary>
    public async Task<string> DirectFileByAsync(MatrixCaller author)
    {
        var uploader = author switch
        {
            MatrixCaller.Coordinator => new Serverless.Files.Storage.FileUploader(Serverless.Entries.EntryAuthor.Person, PersonId(Subject(author)!), LeadAgency),
            MatrixCaller.NamedMember => new Serverless.Files.Storage.FileUploader(Serverless.Entries.EntryAuthor.Person, PersonId(Subject(author)!), CaseAgency),
            MatrixCaller.KeyOfCaseAgency => new Serverless.Files.Storage.FileUploader(Serverless.Entries.EntryAuthor.Key, CaseAgencyKeyId, CaseAgency),
            _ => throw new ArgumentOutOfRangeException(nameof(author), author, "only the coordinator, the named member and the case agency's key upload"),
        };
        var content = Serverless.Tests.Files.TestPdfs.Letter();
        var now = Host.Get<TimeProvider>().GetUtcNow();
        var file = new Serverless.Files.Storage.StoredFile(
            CaseId, Serverless.Files.Storage.FileIds.New(), Serverless.Files.Storage.FileState.Receiving, Serverless.Files.UploadRoute.Direct, now, uploader, "direct.pdf", content.Length)
        {
            UploadExpiresAt = now.AddMinutes(15),
        };
        await Host.Get<Serverless.Files.Storage.CaseFiles>().AddAsync(file, None);
        var quarantine = Host.Storage.Blobs.GetBlobContainerClient(Host.Names.Container(Serverless.Files.Storage.FileBlobs.Quarantine));
        await quarantine.GetBlobClient(Serverless.Files.Storage.FileBlobs.Name(CaseId, file.FileId)).UploadAsync(new BinaryData(content));
        return file.FileId;
    }

    /// <summary>A referral submitted by <paramref name="author"/> (a member's own: no intake, no referrer).</summary>
    public async Task<string> ReferralByAsync(MatrixCaller author)
    {
        using var response = await SendAsync(author, HttpMethod.Post, "api/referrals", Serverless.Tests.Referrals.ReferralApi.Referral("care-consultation", "検証の相談 " + Next()));
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["referralId"]!;
    }

    /// <summary>
    /// The case on the school's attendance list, with the named member (teacher-tanaka) named for the list and May 2025
    /// reported: set up once, by the coordinator and the school's key. Returns the list's entry id.
    /// </summary>
    public async Task<string> AttendanceEntryAsync()
    {
        await attendanceLock.WaitAsync();
        try
        {
            if (attendanceEntryId is not null)
            {
                return attendanceEntryId;
            }

            using var staff = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Put, $"api/agencies/{CaseAgency}/attendance-list/staff", AttendanceStaff());
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
            using var listed = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, $"api/cases/{CaseId}/attendance-listing", new JsonObject { ["agencyId"] = CaseAgency });
            var body = await CaseApi.BodyAsync(listed);
            Assert.True(listed.StatusCode == HttpStatusCode.Created, body.ToJsonString());
            var entryId = (string)body["entryId"]!;
            using var reported = await SendAsync(MatrixCaller.KeyOfCaseAgency, HttpMethod.Put, $"api/agencies/{CaseAgency}/attendance/2025-05", AttendanceMonth(entryId));
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
            return attendanceEntryId = entryId;
        }
        finally
        {
            attendanceLock.Release();
        }
    }

    public static JsonObject AttendanceStaff() => new() { ["personIds"] = new JsonArray(PersonId(Subject(MatrixCaller.NamedMember)!)) };

    public static JsonObject AttendanceMonth(string entryId) => new()
    {
        ["rows"] = new JsonArray(Serverless.Tests.Attendance.AttendanceApi.Row(entryId, "2025-05-12")),
    };

    /// <summary>A referral the coordinator decided to refer to the child guidance centre (送致), not yet accepted.</summary>
    public async Task<string> ReferredToCentreAsync()
    {
        var referralId = await ReferralByAsync(MatrixCaller.NamedMember);
        var decision = Serverless.Tests.Referrals.ReferralApi.Decision("referred-to-centre", summary: null);
        decision["centreAgencyId"] = "chuo-jisou";
        using var response = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, $"api/referrals/{referralId}/decision", decision);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return referralId;
    }

    /// <summary>
    /// A fresh, unreviewed break-glass grant on the case, opened by a designated child-guidance-centre
    /// member. The first goes through the API; later ones are arranged in the grant table, because the
    /// API (rightly) refuses to reopen a case while the opener's grant still runs.
    /// </summary>
    public async Task<string> OpenGrantAsync(string? caseId = null)
    {
        if (Interlocked.Exchange(ref openedThroughApi, 1) == 0)
        {
            using var response = await SendAsSubjectAsync(BreakGlassOpener, HttpMethod.Post, $"api/cases/{caseId ?? CaseId}/break-glass", new JsonObject { ["reason"] = "夜間の一時保護の判断に必要" });
            var body = await CaseApi.BodyAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
            return (string)body["grantId"]!;
        }

        var now = Host.Get<TimeProvider>().GetUtcNow();
        var grant = new Serverless.Cases.BreakGlass.BreakGlassGrant(
            Serverless.Cases.BreakGlass.BreakGlassGrants.NewGrantId(now), caseId ?? CaseId, PersonId(BreakGlassOpener), "chuo-jisou", "夜間の一時保護の判断に必要", now, now + Serverless.Cases.BreakGlass.BreakGlassService.Duration);
        await Host.Get<Serverless.Cases.BreakGlass.BreakGlassGrants>().AddAsync(grant, None);
        return grant.GrantId;
    }

    /// <summary>A person with one open membership, signing in as <paramref name="subject"/>; returns the person id.</summary>
    public async Task<string> RegisterAsync(string subject, string agencyId, CallerRole role)
    {
        await SavePersonAsync(subject);
        await Host.Get<PeopleDirectory>().GrantAsync(new Membership(MembershipIds.New(), PersonId(subject), agencyId, role, new DateOnly(2024, 4, 1), null, false, "matrix", Now), None);
        return PersonId(subject);
    }

    /// <summary>A practitioners' meeting recorded by the coordinator; returns its id.</summary>
    public async Task<string> MeetingAsync()
    {
        using var created = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, "api/meetings", new JsonObject { ["kind"] = "practitioners", ["date"] = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        var body = await CaseApi.BodyAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["meetingId"]!;
    }

    /// <summary>A fresh case like the matrix case (the same agencies and staff), for the coordinator's review cell.</summary>
    public Task<string> FreshCaseAsync()
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = CaseAgency;
        record["staff"] = new JsonArray(new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = CaseAgency });
        return CreateCaseAsync(record);
    }

    /// <summary>An open task of the matrix case owned by the case's agency (the school), as a review saves it; returns its id.</summary>
    public async Task<string> TaskAsync()
    {
        var taskId = Serverless.Council.MeetingIds.NewTask();
        var store = Host.Get<Serverless.Cases.Storage.CaseStore>();
        await store.Table.AddEntityAsync(new Serverless.Council.Tasks.TaskEntity
        {
            PartitionKey = CaseId,
            RowKey = Serverless.Council.Tasks.TaskEntity.Row(taskId),
            TaskId = taskId,
            MeetingId = Serverless.Council.MeetingIds.NewMeeting(),
            Title = "出欠の確認",
            OwnerAgencyId = CaseAgency,
            DueDate = Today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CreatedAt = Now,
        }, None);
        return taskId;
    }

    /// <summary>Registers a case as the coordinator; returns its id.</summary>
    public async Task<string> CreateCaseAsync(JsonObject record)
    {
        using var created = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record });
        var body = await CaseApi.BodyAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["caseId"]!;
    }

    /// <summary>
    /// A case like the matrix case (the same agencies, staff and bar), closed on 2019-03-01, long enough ago to
    /// dispose of: for the coordinator's disposal and legal-hold cells. Every other caller is asked about the
    /// matrix case itself: who may not see a case gets 404, and a named member 403, before any state is checked.
    /// </summary>
    public async Task<string> ClosedCaseAsync()
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = CaseAgency;
        record["staff"] = new JsonArray(new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = CaseAgency });
        record["barredPersonIds"] = new JsonArray(PersonId(BarredSubject));
        var caseId = await CreateCaseAsync(record);
        using var closed = await SendAsync(
            MatrixCaller.Coordinator,
            HttpMethod.Patch,
            "api/cases/" + caseId,
            new JsonObject
            {
                ["reason"] = "実務者会議で終結",
                ["changes"] = new JsonObject
                {
                    ["status"] = "closed",
                    ["closure"] = new JsonObject { ["outcome"] = "improved", ["reason"] = "見守りの必要がなくなった", ["decidedOn"] = "2019-03-01", ["meeting"] = "第3回実務者会議" },
                },
            },
            new Dictionary<string, string> { ["If-Match"] = "\"v1\"" });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        await Serverless.Tests.Disposal.DisposalApi.AgeClosingVersionAsync(Host, caseId, new DateOnly(2019, 3, 1));
        return caseId;
    }

    /// <summary>A closed old case whose disposal another coordinator (coordinator-mori) proposed.</summary>
    public async Task<string> ProposedByAnotherCoordinatorAsync()
    {
        var caseId = await ClosedCaseAsync();
        var proposal = new Serverless.Cases.Disposal.CaseDisposal(caseId, Serverless.Cases.Disposal.DisposalState.Proposed, DemoPeople.PersonId("coordinator-mori"), Now, "保存期間満了", "文書管理規程第12条");
        Assert.True(await Host.Get<Serverless.Cases.Disposal.Disposals>().SaveAsync(proposal, null, None));
        return caseId;
    }

    /// <summary>A referral the coordinator closed with no further action, its retention arranged to have ended yesterday
    /// (the world's clock stays at <see cref="Now"/>).</summary>
    public async Task<string> ReferralPastRetentionAsync()
    {
        var referralId = await ReferralByAsync(MatrixCaller.NamedMember);
        using var response = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, $"api/referrals/{referralId}/decision", new JsonObject { ["outcome"] = "no-further-action", ["meetingDate"] = "2025-06-15", ["reason"] = "助言のみで終了" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = Host.Storage.Tables.GetTableClient(Host.Names.Table(Serverless.Referrals.ReferralStore.TableName));
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(referralId, Serverless.Referrals.ReferralEntity.HeadRow) { ["RetainUntil"] = Now.AddDays(-1) }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge, None);
        return referralId;
    }

    /// <summary>A referral past its retention whose disposal another coordinator proposed.</summary>
    public async Task<string> ReferralDisposalProposedByAnotherCoordinatorAsync()
    {
        var referralId = await ReferralPastRetentionAsync();
        var proposal = new Serverless.Cases.Disposal.CaseDisposal(referralId, Serverless.Cases.Disposal.DisposalState.Proposed, DemoPeople.PersonId("coordinator-mori"), Now, "保存期間満了", "文書管理規程第12条");
        Assert.True(await Host.Get<Serverless.Cases.Disposal.Disposals>().SaveAsync(proposal, null, None));
        return referralId;
    }

    /// <summary>A closed old case under a legal hold.</summary>
    public async Task<string> HeldCaseAsync()
    {
        var caseId = await ClosedCaseAsync();
        var hold = new Serverless.Cases.Disposal.LegalHold(Serverless.Cases.Disposal.LegalHolds.CurrentRow, caseId, DemoPeople.PersonId("coordinator-mori"), Now, "開示請求への対応中");
        Assert.True(await Host.Get<Serverless.Cases.Disposal.LegalHolds>().AddAsync(hold, None));
        return caseId;
    }

    /// <summary>A closed old case under a legal hold whose release another coordinator (coordinator-mori) proposed.</summary>
    public async Task<string> ReleaseProposedByAnotherCoordinatorAsync()
    {
        var caseId = await HeldCaseAsync();
        var holds = Host.Get<Serverless.Cases.Disposal.LegalHolds>();
        var (hold, etag) = (await holds.InForceAsync(caseId, None))!.Value;
        Assert.True(await holds.ProposeReleaseAsync(hold with { ReleaseProposal = new Serverless.Cases.Disposal.ReleaseProposal(DemoPeople.PersonId("coordinator-mori"), Now, "開示請求への対応が終了") }, etag, None));
        return caseId;
    }

    /// <summary>A fresh coordinator membership whose ending another coordinator (coordinator-mori) proposed.</summary>
    public async Task<(string PersonId, string MembershipId)> EndProposedByAnotherCoordinatorAsync()
    {
        var (personId, membershipId) = await NewMembershipAsync(CallerRole.Coordinator);
        var people = Host.Get<PeopleDirectory>();
        var (membership, etag) = (await people.FindMembershipAsync(personId, membershipId, None))!.Value;
        Assert.True(await people.ProposeEndAsync(membership, new PendingEnd(DemoPeople.PersonId("coordinator-mori"), Now, Today), etag, None));
        return (personId, membershipId);
    }

    /// <summary>A registered person with no membership, for a grant.</summary>
    public async Task<string> NewPersonAsync()
    {
        var subject = "matrix-person-" + Next();
        await SavePersonAsync(subject);
        return PersonId(subject);
    }

    /// <summary>A registered person with one open membership of <paramref name="role"/>, for ending it.</summary>
    public async Task<(string PersonId, string MembershipId)> NewMembershipAsync(CallerRole role)
    {
        var personId = await NewPersonAsync();
        var membershipId = MembershipIds.New();
        await Host.Get<PeopleDirectory>().GrantAsync(
            new Membership(membershipId, personId, role == CallerRole.Coordinator ? LeadAgency : OtherAgency, role, new DateOnly(2024, 4, 1), null, false, "matrix", Now),
            None);
        return (personId, membershipId);
    }

    /// <summary>A fresh key of the other agency (for revoking or rotating without touching the matrix's keys).</summary>
    public async Task<string> NewSpareKeyIdAsync() => (await IssueAsync(OtherAgency, "予備キー " + Next())).Info.KeyId;

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    private async Task SetUpAsync()
    {
        await RegisterAsync(BarredSubject, CaseAgency, CallerRole.Member);
        var people = Host.Get<PeopleDirectory>();
        await SavePersonAsync(ExpiredSubject);
        await people.GrantAsync(new Membership(MembershipIds.New(), PersonId(ExpiredSubject), CaseAgency, CallerRole.Member, new DateOnly(2024, 4, 1), Today.AddDays(-1), false, "matrix", Now), None);

        var caseAgencyKey = await IssueAsync(CaseAgency, "南小学校 通告フォーム");
        (CaseAgencyKey, CaseAgencyKeyId) = (caseAgencyKey.Key, caseAgencyKey.Info.KeyId);
        OtherAgencyKey = (await IssueAsync(OtherAgency, "ひかり保育園 通告フォーム")).Key;

        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = CaseAgency;
        record["staff"] = new JsonArray(
            new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = CaseAgency },
            new JsonObject { ["personId"] = PersonId(ExpiredSubject), ["agencyId"] = CaseAgency });
        record["barredPersonIds"] = new JsonArray(PersonId(BarredSubject));
        var name = record["child"]!["name"]!;
        ChildNames = [(string)name["family"]!, (string)name["familyKana"]!];

        CaseId = await CreateCaseAsync(record);
        await PlantReferrersAsync();
    }

    /// <summary>Two referrals decided into the case, each with a referrer who must stay secret (児童虐待防止法 第7条): a call a
    /// coordinator entered with the caller's name and number, and the school's form with the teacher's own words and name.</summary>
    private async Task PlantReferrersAsync()
    {
        var call = Serverless.Tests.Referrals.ReferralApi.PhoneReferral();
        call["referrer"] = new JsonObject { ["name"] = ReferrerSecrets[0], ["relation"] = "近隣住民", ["contact"] = ReferrerSecrets[1], ["mayContact"] = true };
        var form = Serverless.Tests.Referrals.ReferralApi.Referral("abuse-report", ReferrerSecrets[2] + "。ほほにあざ。");
        form["submittedBy"] = new JsonObject { ["name"] = ReferrerSecrets[3], ["role"] = "担任" };
        foreach (var (caller, body) in new[] { (MatrixCaller.Coordinator, call), (MatrixCaller.KeyOfCaseAgency, form) })
        {
            using var submitted = await SendAsync(caller, HttpMethod.Post, "api/referrals", body);
            var receipt = await CaseApi.BodyAsync(submitted);
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, receipt.ToJsonString());
            var decision = Serverless.Tests.Referrals.ReferralApi.Decision("existing-case", "学校から見守りの依頼。家庭訪問を予定。");
            decision["caseId"] = CaseId;
            using var decided = await SendAsync(MatrixCaller.Coordinator, HttpMethod.Post, $"api/referrals/{(string)receipt["referralId"]!}/decision", decision);
            Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }
    }

    private async Task SavePersonAsync(string subject)
        => await Host.Get<PeopleDirectory>().SaveProfileAsync(new PersonProfile(PersonId(subject), DevelopmentTokens.IssuerName, subject, "検証 " + subject, Now, "matrix"), None);

    private async Task<IssuedSubmissionKey> IssueAsync(string agencyId, string label)
    {
        var outcome = await Host.Get<SubmissionKeyService>().IssueAsync(agencyId, label, null, [], [], DemoPeople.PersonId("admin-kobayashi"), None);
        return Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(outcome).Value;
    }
}
