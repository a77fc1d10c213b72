using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Serverless.Audit;
using Serverless.Files;
using Serverless.Files.Direct;
using Serverless.Files.Storage;
using Serverless.Files.Sweep;
using Serverless.Files.Validation;
using Serverless.Problems;
using Serverless.Tests.Audit;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Files.Direct.DirectUploadApi;

namespace Serverless.Tests.Files.Direct;

/// <summary>
/// The direct upload end to end, on the Azurite with OAuth over HTTPS: an address for one quarantine blob, blocks sent
/// with nothing but it, resumed from what the app reads, completed by its uploader only, validated, served; refused by
/// storage once expired; deleted a day after a start never completed.
/// </summary>
public sealed class DirectUploadTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task ANineMegabyteFileSentInThreeBlocksWithNothingButItsAddressIsValidatedAndDownloadsByteForByte()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var now = api.Host.Clock!.GetUtcNow();
        var caseId = await api.SharedCaseAsync();
        var pdf = Pdf(9 * MiB);

        using var started = await api.StartUploadAsync(caseId, "健診結果 2025年.pdf", pdf.Length);
        var body = await CaseApi.BodyAsync(started);
        Assert.True(started.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var fileId = (string)body["fileId"]!;
        var uploadUrl = new Uri((string)body["uploadUrl"]!);
        Assert.Equal($"/api/cases/{caseId}/files/{fileId}", started.Headers.Location!.OriginalString);
        Assert.Equal((4 * MiB, 3), ((int)body["blockSize"]!, (int)body["maxBlocks"]!));
        Assert.Equal(now.AddMinutes(15), DateTimeOffset.Parse((string)body["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("+09:00", (string)body["expiresAt"]!, StringComparison.Ordinal);

        // The address: this blob only, create and write only, HTTPS only, from a minute back to the expiry.
        var sas = Query(uploadUrl);
        Assert.Equal($"/{OAuthAzurite.AccountName}/{api.Host.Names.Container(FileBlobs.Quarantine)}/cases/{caseId}/{fileId}", uploadUrl.AbsolutePath);
        Assert.Equal(("cw", "b", "https"), (sas["sp"], sas["sr"], sas["spr"]));
        Assert.Equal((UserDelegationSas.Time(now.AddMinutes(-1)), UserDelegationSas.Time(now.AddMinutes(15))), (sas["st"], sas["se"]));

        using var browser = OAuthAzurite.AnonymousHttpClient();
        string[] blocks = [BlockId(0), BlockId(1), BlockId(2)];
        for (var i = 0; i < 3; i++)
        {
            using var put = await PutBlockAsync(browser, uploadUrl, blocks[i], pdf.AsMemory(i * 4 * MiB, Math.Min(4 * MiB, pdf.Length - (i * 4 * MiB))));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var commit = await PutBlockListAsync(browser, uploadUrl, blocks))
        {
            Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        }

        using var completed = await api.CompleteAsync(caseId, fileId);
        var view = await CaseApi.BodyAsync(completed);
        Assert.True(completed.StatusCode == HttpStatusCode.Accepted, view.ToJsonString());
        Assert.Equal(("quarantined", "健診結果 2025年.pdf", (long)pdf.Length), ((string)view["state"]!, (string)view["name"]!, (long)view["receivedSize"]!));

        // Completing again answers the state as it is, and queues nothing more.
        using var again = await api.CompleteAsync(caseId, fileId);
        Assert.Equal((HttpStatusCode.Accepted, "quarantined"), (again.StatusCode, (string)(await CaseApi.BodyAsync(again))["state"]!));
        var queue = new Azure.Storage.Queues.QueueClient(TestStorage.ConnectionString, api.Host.Names.Queue(FileValidationQueue.Queue));
        Assert.Single((await queue.PeekMessagesAsync(10)).Value);

        Assert.Equal(FileState.Ready, await api.Host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None));
        using var ready = await api.CompleteAsync(caseId, fileId);
        Assert.Equal((HttpStatusCode.Accepted, "ready"), (ready.StatusCode, (string)(await CaseApi.BodyAsync(ready))["state"]!));

        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Teacher);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Sha256(pdf), Sha256(await download.Content.ReadAsByteArrayAsync()));
        Assert.False(await api.Quarantine().GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync());

        // Audited by action, case and file; the address's signature is in no audit row and no log line.
        var audited = await api.Host.EntriesAsync();
        Assert.Contains(audited, entry => entry.Action == AuditActions.FileDirectUpload && entry.CaseId == caseId && entry.EntriesTouched == fileId && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Contains(audited, entry => entry.Action == AuditActions.FileUploadComplete && entry.EntryId == fileId && entry.Outcome == nameof(AuditOutcome.Succeeded));
        var signature = sas["sig"];
        Assert.DoesNotContain(await api.Host.RawEntriesAsync(), row => row.Any(pair => Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture)?.Contains(signature, StringComparison.Ordinal) == true));
        Assert.DoesNotContain(api.Host.Logs.Entries, log => log.Everything.Contains(signature, StringComparison.Ordinal) || log.Everything.Contains("sig=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientThatLostItsPlaceReadsItsBlocksFromTheAppAndSendsOnlyWhatIsMissing()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var pdf = Pdf(9 * MiB);
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "letter.pdf", pdf.Length);
        var client = OAuthAzurite.SasBlockBlob(uploadUrl);
        await client.StageBlockAsync(BlockId(0), new MemoryStream(pdf, 0, 4 * MiB));
        await client.StageBlockAsync(BlockId(1), new MemoryStream(pdf, 4 * MiB, 4 * MiB));

        // The address cannot list what it wrote (no Read, so it cannot read the file back either); the app can.
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetBlockListAsync());
        Assert.Equal(403, refused.Status);
        using var listed = await api.BlocksAsync(caseId, fileId);
        var blocks = await CaseApi.BodyAsync(listed);
        Assert.True(listed.StatusCode == HttpStatusCode.OK, blocks.ToJsonString());
        Assert.Equal((long)pdf.Length, (long)blocks["declaredSize"]!);
        Assert.Empty(blocks["committed"]!.AsArray());
        Assert.Equal([(BlockId(0), 4L * MiB), (BlockId(1), 4L * MiB)], blocks["uncommitted"]!.AsArray().Select(block => ((string)block!["id"]!, (long)block["size"]!)));

        var staged = blocks["uncommitted"]!.AsArray().Select(block => (string)block!["id"]!).ToList();
        await client.StageBlockAsync(BlockId(2), new MemoryStream(pdf, 8 * MiB, pdf.Length - (8 * MiB)));
        await client.CommitBlockListAsync([.. staged, BlockId(2)]);

        using var completed = await api.CompleteAsync(caseId, fileId);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        using var closed = await api.BlocksAsync(caseId, fileId);
        Assert.Equal(DirectUploadRefusals.Completed, (string)(await CaseApi.ProblemAsync(closed, ProblemCatalogue.UploadClosed))["reason"]!);
        Assert.Equal(FileState.Ready, await api.Host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None));
    }

    [Fact]
    public async Task CompletingBeforeTheBlockListIsCommittedIsRefusedNamingWhatIsStaged()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var pdf = Pdf(5 * MiB);
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "letter.pdf", pdf.Length);

        using var nothing = await api.CompleteAsync(caseId, fileId);
        var none = await CaseApi.ProblemAsync(nothing, ProblemCatalogue.UploadIncomplete);
        await OAuthAzurite.SasBlockBlob(uploadUrl).StageBlockAsync(BlockId(0), new MemoryStream(pdf, 0, 4 * MiB));
        using var early = await api.CompleteAsync(caseId, fileId, person: Teacher);
        var problem = await CaseApi.ProblemAsync(early, ProblemCatalogue.UploadIncomplete);

        Assert.Equal(DirectUploadRefusals.NotCommitted, (string)none["reason"]!);
        Assert.Contains("0個、0バイト", (string)none["detail"]!, StringComparison.Ordinal);
        Assert.Equal(DirectUploadRefusals.NotCommitted, (string)problem["reason"]!);
        Assert.Contains($"1個、{4 * MiB}バイト", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(FileState.Receiving, (await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task ACommittedFileOfAnotherSizeThanDeclaredIsRefusedAndCanBeCommittedAgain()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var pdf = Pdf(6 * MiB);
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "letter.pdf", pdf.Length);
        var client = OAuthAzurite.SasBlockBlob(uploadUrl);
        await client.StageBlockAsync(BlockId(0), new MemoryStream(pdf, 0, 4 * MiB));
        await client.StageBlockAsync(BlockId(1), new MemoryStream(pdf, 4 * MiB, pdf.Length - (4 * MiB)));
        await client.CommitBlockListAsync([BlockId(0)]); // the last block left out

        using var mismatch = await api.CompleteAsync(caseId, fileId, person: Teacher, key: null);
        var problem = await CaseApi.ProblemAsync(mismatch, ProblemCatalogue.UploadIncomplete);
        using var english = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files/{fileId}/complete", Teacher, arrange: request => request.Headers.AcceptLanguage.ParseAdd("en"));
        var detail = (string)(await CaseApi.ProblemAsync(english, ProblemCatalogue.UploadIncomplete, ProblemLanguage.English))["detail"]!;

        Assert.Equal(DirectUploadRefusals.SizeMismatch, (string)problem["reason"]!);
        Assert.Equal($"The committed file is {4 * MiB} bytes, not the {pdf.Length} bytes declared at the start. Check for missing or repeated blocks, commit the right block list again, then complete again.", detail);

        await OAuthAzurite.SasBlockBlob(uploadUrl).StageBlockAsync(BlockId(1), new MemoryStream(pdf, 4 * MiB, pdf.Length - (4 * MiB)));
        await client.CommitBlockListAsync([BlockId(0), BlockId(1)]);
        using var completed = await api.CompleteAsync(caseId, fileId);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
    }

    [Fact]
    public async Task OnlyTheUploaderListsBlocksGetsAFreshAddressOrCompletes()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);
        var otherKey = await api.KeyAsync(School);
        var pdf = TestPdfs.Letter();
        var (teachersFile, teachersUrl, _) = await api.StartedAsync(caseId, "teacher.pdf", pdf.Length);
        var (formsFile, formsUrl, _) = await api.StartedAsync(caseId, "form.pdf", pdf.Length, person: null, key: key);
        await UploadAsync(teachersUrl, pdf);
        await UploadAsync(formsUrl, pdf);

        foreach (var (fileId, person, caller, expected) in new[]
        {
            (teachersFile, (string?)Nurse, (string?)null, ProblemCatalogue.NotFound), // another agency: the unattached file is hidden
            (teachersFile, CaseApi.Coordinator, null, ProblemCatalogue.Forbidden), // sees the file, did not send it
            (teachersFile, null, key, ProblemCatalogue.NotFound), // a form sees no person's file
            (formsFile, null, otherKey, ProblemCatalogue.NotFound), // nor another form's
            (formsFile, Teacher, null, ProblemCatalogue.Forbidden), // the school sees its form's file, but did not send it
        })
        {
            using var blocks = await api.BlocksAsync(caseId, fileId, person, caller);
            using var renewed = await api.RenewAsync(caseId, fileId, person, caller);
            using var completed = await api.CompleteAsync(caseId, fileId, person, caller);
            await CaseApi.ProblemAsync(blocks, expected);
            await CaseApi.ProblemAsync(renewed, expected);
            await CaseApi.ProblemAsync(completed, expected);
        }

        Assert.All(await api.Host.Get<CaseFiles>().ListAsync(caseId, CancellationToken.None), file => Assert.Equal(FileState.Receiving, file.State));
        using var formsBlocks = await api.BlocksAsync(caseId, formsFile, null, key);
        Assert.Equal(HttpStatusCode.OK, formsBlocks.StatusCode);
        using var formsCompletion = await api.CompleteAsync(caseId, formsFile, null, key);
        var receipt = await CaseApi.BodyAsync(formsCompletion);
        Assert.Equal(HttpStatusCode.Accepted, formsCompletion.StatusCode);
        Assert.Equal(["fileId", "receivedAt", "state"], receipt.Select(property => property.Key).Order());
        using var teachersCompletion = await api.CompleteAsync(caseId, teachersFile);
        Assert.Equal(HttpStatusCode.Accepted, teachersCompletion.StatusCode);
    }

    [Fact]
    public async Task AnExpiredAddressIsRefusedByStorageAndAFreshOneFinishesTheUpload()
    {
        await using var api = await DirectUploadApi.StartAsync(now: WholeSeconds(DateTimeOffset.UtcNow) - TimeSpan.FromMinutes(15));
        var caseId = await api.SharedCaseAsync();
        var pdf = Pdf(2 * MiB);

        // The fake clock is set 15 minutes less 3 seconds behind the real time: the first address expires in 3 seconds.
        var expiresAt = WholeSeconds(DateTimeOffset.UtcNow).AddSeconds(3);
        api.Host.Clock!.SetUtcNow(expiresAt - TimeSpan.FromMinutes(15));
        var (fileId, firstUrl, started) = await api.StartedAsync(caseId, "letter.pdf", pdf.Length);
        var first = OAuthAzurite.SasBlockBlob(firstUrl);
        await first.StageBlockAsync(BlockId(0), new MemoryStream(pdf, 0, MiB));
        Assert.Equal(expiresAt, DateTimeOffset.Parse((string)started["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        await Task.Delay(expiresAt.AddSeconds(1.5) - DateTimeOffset.UtcNow);
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => first.StageBlockAsync(BlockId(1), new MemoryStream(pdf, MiB, pdf.Length - MiB)));
        Assert.Equal((403, "AuthorizationFailure"), (refused.Status, refused.ErrorCode));

        api.Host.Clock.Advance(TimeSpan.FromMinutes(15));
        using var renewed = await api.RenewAsync(caseId, fileId);
        var address = await CaseApi.BodyAsync(renewed);
        Assert.True(renewed.StatusCode == HttpStatusCode.OK, address.ToJsonString());
        Assert.Equal(fileId, (string)address["fileId"]!);
        var second = OAuthAzurite.SasBlockBlob(new Uri((string)address["uploadUrl"]!));
        await second.StageBlockAsync(BlockId(1), new MemoryStream(pdf, MiB, pdf.Length - MiB));
        await second.CommitBlockListAsync([BlockId(0), BlockId(1)]);

        using var completed = await api.CompleteAsync(caseId, fileId);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        Assert.Equal(FileState.Ready, await api.Host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None));
    }

    [Fact]
    public async Task AnUploadNeverCompletedIsDeletedWithItsBlobADayAfterItsStartAndTakesNoAddressPastIt()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var start = api.Host.Clock!.GetUtcNow();
        var caseId = await api.SharedCaseAsync();
        var pdf = TestPdfs.Letter();
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "forgotten.pdf", pdf.Length);
        await UploadAsync(uploadUrl, pdf);
        var sweep = api.Host.Get<FileSweep>();
        var blob = api.Quarantine().GetBlobClient(FileBlobs.Name(caseId, fileId));

        api.Host.Clock.Advance(FileSweep.KeepUnattached - TimeSpan.FromMinutes(5));
        using var last = await api.RenewAsync(caseId, fileId);
        var lastAddress = await CaseApi.BodyAsync(last);
        var early = await sweep.RunAsync(CancellationToken.None);
        api.Host.Clock.Advance(TimeSpan.FromMinutes(6));
        using var late = await api.RenewAsync(caseId, fileId);
        using var lateCompletion = await api.CompleteAsync(caseId, fileId);
        var swept = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(start + FileSweep.KeepUnattached, DateTimeOffset.Parse((string)lastAddress["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture)); // never past the day
        Assert.Equal(new FileSweepResult(Requeued: 0, Deleted: 0, Dropped: 0), early);
        Assert.Equal(DirectUploadRefusals.Expired, (string)(await CaseApi.ProblemAsync(late, ProblemCatalogue.UploadClosed))["reason"]!);
        Assert.Equal(DirectUploadRefusals.Expired, (string)(await CaseApi.ProblemAsync(lateCompletion, ProblemCatalogue.UploadClosed))["reason"]!);
        Assert.Equal(new FileSweepResult(Requeued: 0, Deleted: 1, Dropped: 0), swept);
        Assert.Null(await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None));
        Assert.False(await blob.ExistsAsync());
        Assert.Empty(await api.Host.Get<CaseFiles>().PendingAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        using var gone = await api.CompleteAsync(caseId, fileId);
        await CaseApi.ProblemAsync(gone, ProblemCatalogue.NotFound);
    }

    [Fact]
    public async Task StartingRefusesAFileOverTheLimitAnEmptyOneANameWithNothingLeftAndMissingFields()
    {
        await using var api = await DirectUploadApi.StartAsync(settings: new Dictionary<string, string> { ["Files:MaxDirectBytes"] = (50 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var caseId = await api.SharedCaseAsync();

        using var tooLarge = await api.StartUploadAsync(caseId, "big.pdf", (50 * MiB) + 1);
        using var empty = await api.StartUploadAsync(caseId, "empty.pdf", 0);
        using var nameless = await api.StartUploadAsync(caseId, "\u202E\u200B", 10);
        using var missing = await api.StartUploadAsync(caseId, new JsonObject());
        using var negative = await api.StartUploadAsync(caseId, new JsonObject { ["name"] = "a.pdf", ["size"] = -1 });
        using var outsider = await api.StartUploadAsync(caseId, "a.pdf", 10, person: UnnamedTeacher);

        var problem = await CaseApi.ProblemAsync(tooLarge, ProblemCatalogue.FileTooLarge);
        Assert.Equal((FileRejections.TooLarge, "ファイルが大きすぎます。上限は50MBです。写真は1枚ずつ、文書はページを分けて送ってください。"), ((string)problem["reason"]!, (string)problem["detail"]!));
        Assert.Equal(FileRejections.Empty, (string)(await CaseApi.ProblemAsync(empty, ProblemCatalogue.FileRejected))["reason"]!);
        Assert.Equal(FileRejections.NameEmpty, (string)(await CaseApi.ProblemAsync(nameless, ProblemCatalogue.FileRejected))["reason"]!);
        await CaseApi.ValidationErrorsAsync(missing, ("$.name", "required"), ("$.size", "required"));
        await CaseApi.ValidationErrorsAsync(negative, ("$.size", "out-of-range"));
        await CaseApi.ProblemAsync(outsider, ProblemCatalogue.NotFound);
        Assert.Empty(await api.Host.Get<CaseFiles>().ListAsync(caseId, CancellationToken.None));
        Assert.Empty(await api.Host.Get<CaseFiles>().PendingAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task AFileRewrittenThroughItsAddressAfterCompletionIsRefusedNotValidatedInItsPlace()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var pdf = TestPdfs.Letter();
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "letter.pdf", pdf.Length);
        await UploadAsync(uploadUrl, pdf);
        using var completed = await api.CompleteAsync(caseId, fileId);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);

        await UploadAsync(uploadUrl, TestPhotos.Jpeg()); // the address still works until it expires

        Assert.Equal(FileState.Rejected, await api.Host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None));
        Assert.Equal(FileRejections.Damaged, (await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.Rejection!.Reason);
    }

    [Fact]
    public async Task WhereStorageGivesTheAppNoDelegationKeyStartingSaysToSendThroughTheAppAndStoresNothing()
    {
        await using var api = await CaseApi.StartAsync(); // an account key, as `tools/Dev start` runs
        var caseId = await api.SharedCaseAsync();

        using var started = await api.StartUploadAsync(caseId, "letter.pdf", 1000);

        var problem = await CaseApi.ProblemAsync(started, ProblemCatalogue.DirectUploadUnavailable);
        Assert.Contains("POST /api/cases/{caseId}/files", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Empty(await api.Host.Get<CaseFiles>().ListAsync(caseId, CancellationToken.None));
        Assert.Empty(await api.Host.Get<CaseFiles>().PendingAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }
}
