using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Tests.Transfers;

/// <summary>
/// The files travel (issue #17): the sender posts each file a delivered package references as its own sealed
/// <c>file</c> message; the receiver accepts one only when the same sender's package references it with exactly that
/// SHA-256 and length, stores it, lets coordinators read it, and imports it into the case the package was accepted into
/// through the files feature's own path (quarantine, validation), once, even when it arrives after the acceptance.
/// </summary>
public sealed class TransferCarriedFileTests
{
    private const string Us = "132012";
    private const string Partner = "131016";
    private const string OtherPartner = "372030";
    private const string Intake = "api/transfers/incoming";

    private static readonly Lazy<TestTransferKeys> OwnKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> PartnerKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> OtherKeys = new(() => new TestTransferKeys());

    // ---- sending ----

    [Fact]
    public async Task TheSenderSendsEachFileAfterThePackageIsDeliveredSealedForThePartnerOnce()
    {
        using var partner = new PartnerListener(HttpStatusCode.Accepted);
        await using var world = await OutgoingTransferWorld.StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var fileId = await world.ReadyFileAsync(caseId, "連絡票.pdf");
        var report = EntryApi.Report();
        report["files"] = new JsonArray(fileId);
        await api.ReportIdAsync(caseId, report);
        var messageId = await world.SentAsync(caseId);
        var rows = api.Host.Get<OutgoingTransferFileStore>();

        // Recorded with the package, queued only once it is delivered.
        Assert.Equal(OutgoingTransferFileStates.Waiting, (await rows.GetAsync(messageId, fileId, CancellationToken.None))!.State);
        Assert.Empty(await PeekAsync(api, TransferFileQueue.Name));
        await api.Host.Get<TransferDelivery>().DeliverAsync(messageId, CancellationToken.None);
        Assert.Equal(OutgoingTransferFileStates.Queued, (await rows.GetAsync(messageId, fileId, CancellationToken.None))!.State);
        var queued = Assert.Single(await PeekAsync(api, TransferFileQueue.Name));
        Assert.Equal($$"""{"schemaVersion":1,"messageId":"{{messageId}}","fileId":"{{fileId}}"}""", queued);

        var sender = api.Host.Get<TransferFileSender>();
        await sender.DeliverQueuedAsync(queued, CancellationToken.None);
        await sender.DeliverQueuedAsync(queued, CancellationToken.None); // a duplicate message posts nothing

        Assert.Equal(2, partner.Received.Count); // the package, then the one file
        var package = TransferPackage.Parse(TransferEnvelope.Open(partner.Received[0].Body, OutgoingTransferWorld.Partner, world.Theirs.Encryption, world.Ours.Signing).Payload)!;
        var reference = package.Timeline.SelectMany(entry => entry.Files).Single();
        var message = TransferEnvelope.Open(partner.Received[1].Body, OutgoingTransferWorld.Partner, world.Theirs.Encryption, world.Ours.Signing);
        Assert.Equal((TransferMessageKind.File, OutgoingTransferWorld.Own), (message.Kind, message.SenderCode));
        var payload = Assert.IsType<TransferFilePayload>(TransferFilePayload.Parse(message.Payload));
        Assert.Equal((messageId, fileId), (payload.PackageMessageId, payload.FileId));
        Assert.Equal((reference.Sha256, reference.Length), (Convert.ToHexStringLower(SHA256.HashData(payload.Content)), payload.Content.LongLength));
        var stored = (await new BlobContainerClient(TestStorage.ConnectionString, api.Host.Names.Container(FileBlobs.Files)).GetBlobClient(FileBlobs.Name(caseId, fileId)).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(stored, payload.Content);
        var row = (await rows.GetAsync(messageId, fileId, CancellationToken.None))!;
        Assert.Equal((OutgoingTransferFileStates.Sent, 1), (row.State, row.Attempts));
    }

    [Fact]
    public async Task AFileOverTheIntakesLimitIsMarkedTooLargeAndNeverQueued()
    {
        await using var world = await OutgoingTransferWorld.StartAsync();
        var api = world.Api;
        var messageId = TransferIds.NewMessageId();
        var (small, large) = (FileIds.New(), FileIds.New());
        var package = Package([
            new TransferFileReference(small, "a.pdf", "application/pdf", IncomingTransferLimits.MaxFileBytes, new string('a', 64)),
            new TransferFileReference(large, "b.pdf", "application/pdf", IncomingTransferLimits.MaxFileBytes + 1L, new string('b', 64))]);
        var sender = api.Host.Get<TransferFileSender>();

        await sender.RecordAsync(messageId, "c-0123456789abcdef", OutgoingTransferWorld.Partner, package, CancellationToken.None);
        await sender.QueueAsync(messageId, CancellationToken.None); // no delivered transfer with that id: nothing queued

        var rows = await api.Host.Get<OutgoingTransferFileStore>().OfPackageAsync(messageId, CancellationToken.None);
        Assert.Equal(
            [(small, OutgoingTransferFileStates.Waiting), (large, OutgoingTransferFileStates.TooLarge)],
            rows.Select(row => (row.RowKey, row.State)).OrderBy(pair => pair.State == OutgoingTransferFileStates.TooLarge).ToList());
        Assert.Empty(await PeekAsync(api, TransferFileQueue.Name));
    }

    // ---- receiving ----

    [Fact]
    public async Task TheIntakeAcceptsAFileItsSendersPackageReferencesStoresItOnceAndAuditsIt()
    {
        await using var api = await ReceiverAsync();
        var content = RandomNumberGenerator.GetBytes(9 * 1024 * 1024); // over the package limit: only a file message may be
        var fileId = FileIds.New();
        var packageId = await ReceivedPackageAsync(api, [Reference(fileId, content)]);
        var fileMessage = await SealFileAsync(packageId, fileId, content);

        using var accepted = await PostAsync(api, fileMessage);
        using var again = await PostAsync(api, await SealFileAsync(packageId, fileId, content)); // a sender's retry

        var receipt = await CaseApi.BodyAsync(accepted);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, receipt.ToJsonString());
        Assert.Equal((TransferEnvelope.ReadRouting(fileMessage).MessageId, Convert.ToHexStringLower(SHA256.HashData(fileMessage))), ((string)receipt["messageId"]!, (string)receipt["sha256"]!));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var row = Assert.Single(await FileRowsAsync(api));
        Assert.Equal((Partner, IncomingTransferFileEntity.Row(packageId, fileId), Sha(content), (long)content.Length), (row.PartitionKey, row.RowKey, row.GetString("Sha256"), row.GetInt64("Length")));
        Assert.Equal([IncomingTransferFileStore.BlobName(Partner, packageId, fileId)], await FileBlobsAsync(api));
        Assert.Equal(content, await api.Host.Get<IncomingTransferFileStore>().OpenAsync((await api.Host.Get<IncomingTransferFileStore>().GetAsync(Partner, packageId, fileId, CancellationToken.None))!, CancellationToken.None) is { } stream ? await ReadAllAsync(stream) : null);
        var audits = (await AuditAsync(api, Partner)).Where(entry => entry.Action == AuditActions.TransferFileReceive).ToList();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, audit => Assert.Equal((nameof(AuditOutcome.Succeeded), Partner), (audit.Outcome, audit.Target?.MunicipalityCode)));
        Assert.All(audits, audit => Assert.Equal([Sha(content)], audit.Target!.FileHashes!));
    }

    [Fact]
    public async Task AFileNotMatchingAPackageOfItsSenderIsRefusedLikeAnyMessageAndNothingIsStored()
    {
        await using var api = await ReceiverAsync();
        var content = "けがの写真"u8.ToArray();
        var fileId = FileIds.New();
        var packageId = await ReceivedPackageAsync(api, [Reference(fileId, content)]);
        var sameLengthOtherBytes = content.ToArray();
        sameLengthOtherBytes[0] ^= 0x01;
        var longer = content.Concat("!"u8.ToArray()).ToArray();
        var cases = new (string Reason, byte[] Body)[]
        {
            (FileIntakeRefusals.Mismatch, await SealFileAsync(packageId, fileId, sameLengthOtherBytes)),
            (FileIntakeRefusals.Mismatch, await SealFileAsync(packageId, fileId, longer)),
            (FileIntakeRefusals.UnknownPackage, await SealFileAsync(TransferIds.NewMessageId(), fileId, content)),
            (FileIntakeRefusals.NotReferenced, await SealFileAsync(packageId, FileIds.New(), content)),
            // Another confirmed partner naming this partner's package: its package is not the sender's.
            (FileIntakeRefusals.UnknownPackage, await SealFileAsync(packageId, fileId, content, OtherPartner, OtherKeys.Value)),
        };

        var answers = new List<string>();
        foreach (var (reason, body) in cases)
        {
            var logged = api.Host.Logs.Entries.Count;
            using var response = await PostAsync(api, body);
            var problem = await CaseApi.ProblemAsync(response, ProblemCatalogue.TransferRefused);
            problem.Remove("requestId");
            answers.Add(problem.ToJsonString());
            Assert.Contains(api.Host.Logs.Entries.Skip(logged), entry => entry.Text.Contains($"refused: {reason} RequestId=", StringComparison.Ordinal));
        }

        Assert.Single(answers.Distinct(StringComparer.Ordinal));
        Assert.Empty(await FileRowsAsync(api));
        Assert.Empty(await FileBlobsAsync(api));
        Assert.DoesNotContain(await AuditAsync(api, Partner), entry => entry.Action == AuditActions.TransferFileReceive);
    }

    [Fact]
    public async Task OnlyAFileMessageMayBeLargerThanEightMebibytesAndNoneLargerThanTheFileLimit()
    {
        await using var api = await ReceiverAsync();
        var package = await SealPackageAsync(Package([]));
        var fileMessage = await SealFileAsync(TransferIds.NewMessageId(), FileIds.New(), "x"u8.ToArray());
        var packageOver = Padded(package, IncomingTransferLimits.MaxBodyBytes + 1);
        var fileAtNine = Padded(fileMessage, 9 * 1024 * 1024);
        var fileOver = Padded(fileMessage, IncomingTransferLimits.MaxFileMessageBytes + 1);

        using var packageTooLarge = await PostAsync(api, packageOver);
        using var fileRead = await PostAsync(api, fileAtNine);
        using var fileTooLarge = await PostAsync(api, fileOver);

        Assert.Equal((8 * 1024 * 1024, (25 * 1024 * 1024) + (64 * 1024)), (IncomingTransferLimits.MaxBodyBytes, IncomingTransferLimits.MaxFileMessageBytes));
        Assert.Contains($"{IncomingTransferLimits.MaxBodyBytes} バイト", (string)(await CaseApi.ProblemAsync(packageTooLarge, ProblemCatalogue.BodyTooLarge))["detail"]!);
        await CaseApi.ProblemAsync(fileRead, ProblemCatalogue.TransferRefused); // read, opened, refused: not 413
        Assert.Contains($"{IncomingTransferLimits.MaxFileMessageBytes} バイト", (string)(await CaseApi.ProblemAsync(fileTooLarge, ProblemCatalogue.BodyTooLarge))["detail"]!);
        Assert.Empty(await FileRowsAsync(api));
    }

    // ---- the coordinators' read route ----

    [Fact]
    public async Task CoordinatorsReadAReceivedFileAsAnAttachmentOthersAreRefusedAndUnknownIdsAre404()
    {
        await using var api = await ReceiverAsync();
        var content = TestPdfs.Letter();
        var fileId = FileIds.New();
        var packageId = await ReceivedPackageAsync(api, [Reference(fileId, content, "けがの写真 2025.pdf")]);
        using (var posted = await PostAsync(api, await SealFileAsync(packageId, fileId, content)))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var path = $"api/transfers/incoming/{Partner}/{packageId}/files/{fileId}";
        using var read = await api.SendAsync(HttpMethod.Get, path, CaseApi.Coordinator);
        using var member = await api.SendAsync(HttpMethod.Get, path, EntryApi.Teacher);
        using var anonymous = await api.SendAsync(HttpMethod.Get, path, null);
        using var unknownFile = await api.SendAsync(HttpMethod.Get, $"api/transfers/incoming/{Partner}/{packageId}/files/{FileIds.New()}", CaseApi.Coordinator);
        using var otherSender = await api.SendAsync(HttpMethod.Get, $"api/transfers/incoming/{OtherPartner}/{packageId}/files/{fileId}", CaseApi.Coordinator);
        using var badShape = await api.SendAsync(HttpMethod.Get, $"api/transfers/incoming/{Partner}/not-an-id/files/{fileId}", CaseApi.Coordinator);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(content, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", read.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Serverless.Files.ContentDisposition.Attachment("けがの写真 2025.pdf"), read.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Contains("filename*=UTF-8''%E3%81%91", read.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(anonymous, ProblemCatalogue.Unauthenticated);
        await CaseApi.ProblemAsync(unknownFile, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(otherSender, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(badShape, ProblemCatalogue.NotFound);
        var coordinatorAudit = await AuditAsync(api, Serverless.DevHost.DemoPeople.PersonId(CaseApi.Coordinator));
        var audited = Assert.Single(coordinatorAudit, entry => entry.Action == AuditActions.TransferFileRead && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Equal((Partner, packageId), (audited.Target?.MunicipalityCode, audited.Target?.MessageId));
    }

    // ---- import into the accepted case ----

    [Fact]
    public async Task AcceptingImportsEachReceivedFileIntoItsEntryOnceAndAFileArrivingLaterOnArrival()
    {
        await using var api = await ReceiverAsync();
        var caseId = await api.SharedCaseAsync();
        var (firstEntry, secondEntry) = (await api.ReportIdAsync(caseId, EntryApi.Report()), await api.ReportIdAsync(caseId, EntryApi.Report("二件目")));
        var pdf = TestPdfs.Letter();
        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var (pdfId, htmlId) = (FileIds.New(), FileIds.New());
        var pdfReference = Reference(pdfId, pdf, "連絡票.pdf");
        var htmlReference = Reference(htmlId, html, "写真.jpg");
        var (originFirst, originSecond) = (EntryIds.NewReport(), EntryIds.NewReport());
        var packageId = await ReceivedPackageAsync(api, [pdfReference], [htmlReference], originFirst, originSecond);
        using (var posted = await PostAsync(api, await SealFileAsync(packageId, pdfId, pdf)))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var accepted = new AcceptedTransfer(Partner, packageId, caseId, [
            new ImportedTransferEntry(originFirst, firstEntry, [pdfReference]),
            new ImportedTransferEntry(originSecond, secondEntry, [htmlReference])]);
        var imports = api.Host.Get<IAcceptedTransferFiles>();

        await imports.ImportAsync(accepted, CancellationToken.None);
        await imports.ImportAsync(accepted, CancellationToken.None); // a retried acceptance imports nothing twice

        var store = api.Host.Get<IncomingTransferFileStore>();
        var pdfRow = (await store.GetAsync(Partner, packageId, pdfId, CancellationToken.None))!;
        Assert.Equal((CarriedFileImportStates.Imported, caseId, firstEntry), (pdfRow.ImportState, pdfRow.ImportCaseId, pdfRow.ImportEntryId));
        var caseFiles = await api.Host.Get<CaseFiles>().ListAsync(caseId, CancellationToken.None);
        var imported = Assert.Single(caseFiles);
        Assert.Equal((pdfRow.ImportFileId, FileState.Quarantined, firstEntry, "連絡票.pdf"), (imported.FileId, imported.State, imported.EntryId, imported.Name));
        Assert.Equal([imported.FileId], (await api.Host.Get<EntryStore>().VersionsAsync(caseId, firstEntry, CancellationToken.None))[^1].FileIds);
        Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, imported.FileId));
        Assert.Equal((pdf.LongLength, Sha(pdf)), ((await api.Host.Get<CaseFiles>().GetAsync(caseId, imported.FileId, CancellationToken.None))!.Validated!.Stored.Length, (await api.Host.Get<CaseFiles>().GetAsync(caseId, imported.FileId, CancellationToken.None))!.Validated!.Stored.Sha256));

        // The second file arrives after the acceptance: imported on arrival, validated like an upload, refused, and the
        // refusal is what the coordinators see on the case's file list.
        using (var posted = await PostAsync(api, await SealFileAsync(packageId, htmlId, html)))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var htmlRow = (await store.GetAsync(Partner, packageId, htmlId, CancellationToken.None))!;
        Assert.Equal((CarriedFileImportStates.Imported, secondEntry), (htmlRow.ImportState, htmlRow.ImportEntryId));
        Assert.Equal(FileState.Rejected, await api.ValidateAsync(caseId, htmlRow.ImportFileId!));
        await imports.ImportAsync(accepted, CancellationToken.None);
        Assert.Equal(2, (await api.Host.Get<CaseFiles>().ListAsync(caseId, CancellationToken.None)).Count);
        var list = await CaseApi.BodyAsync(await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files", CaseApi.Coordinator));
        var rejected = list["files"]!.AsArray().Single(file => (string)file!["fileId"]! == htmlRow.ImportFileId)!;
        Assert.Equal(("rejected", secondEntry, "unsupported-type"), ((string)rejected["state"]!, (string)rejected["entryId"]!, (string)rejected["rejection"]!["reason"]!));
    }

    // ---- helpers ----

    private static async Task<CaseApi> ReceiverAsync()
    {
        var api = await CaseApi.StartAsync(settings: new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = Us,
            ["Transfers:SigningKeyPem"] = OwnKeys.Value.SigningPrivatePem,
            ["Transfers:DecryptionKeyPem"] = OwnKeys.Value.EncryptionPrivatePem,
        });
        foreach (var (code, keys) in new[] { (Partner, PartnerKeys.Value), (OtherPartner, OtherKeys.Value) })
        {
            Assert.True(await api.Host.Get<TransferPartnerStore>().SaveAsync(
                new TransferPartnerEntity
                {
                    RowKey = code,
                    DisplayName = "検証の自治体",
                    EndpointUrl = "https://partner.example.jp/api/transfers/incoming",
                    EncryptionKeyPem = keys.EncryptionPublicPem,
                    EncryptionKeyFingerprint = keys.EncryptionFingerprint,
                    VerificationKeyPem = keys.SigningPublicPem,
                    VerificationKeyFingerprint = keys.SigningFingerprint,
                    Version = 1,
                    UpdatedAt = CaseApi.Now,
                    UpdatedBy = "p-admin",
                    ConfirmedVersion = 1,
                    ConfirmedAt = CaseApi.Now,
                    ConfirmedBy = "p-coordinator",
                },
                CancellationToken.None));
        }

        return api;
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static TransferFileReference Reference(string fileId, byte[] content, string name = "写真.jpg")
        => new(fileId, name, "application/pdf", content.LongLength, Sha(content));

    private static TransferPackage Package(IReadOnlyList<TransferFileReference> first, IReadOnlyList<TransferFileReference>? second = null, string? firstEntry = null, string? secondEntry = null) => new(
        TransferPackage.CurrentSchemaVersion,
        "c-0123456789abcdef",
        new TransferCaseRecord(CaseCategory.RequiringProtection, CaseStatus.Accepted, [AbuseType.Neglect], []),
        [
            new TransferTimelineEntry(firstEntry ?? EntryIds.NewReport(), "report", CaseApi.Now, JsonSerializer.SerializeToElement(new { text = "一件目" }), first),
            new TransferTimelineEntry(secondEntry ?? EntryIds.NewReport(), "report", CaseApi.Now, JsonSerializer.SerializeToElement(new { text = "二件目" }), second ?? []),
        ],
        LocationSecrecy: false,
        ReferrerSecrecy: true);

    private static async Task<byte[]> SealPackageAsync(TransferPackage package)
    {
        using var signer = new PemManifestSigner(PartnerKeys.Value.SigningPrivatePem, "test");
        return await TransferEnvelope.SealAsync(new TransferMessage(TransferMessageKind.Package, TransferIds.NewMessageId(), Partner, Us, CaseApi.Now, package.ToJson()), signer, OwnKeys.Value.Encryption, CancellationToken.None);
    }

    /// <summary>Posts a package from the partner referencing these files; returns its message id.</summary>
    private static async Task<string> ReceivedPackageAsync(CaseApi api, IReadOnlyList<TransferFileReference> first, IReadOnlyList<TransferFileReference>? second = null, string? firstEntry = null, string? secondEntry = null)
    {
        var sealedBytes = await SealPackageAsync(Package(first, second, firstEntry, secondEntry));
        using var response = await PostAsync(api, sealedBytes);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return TransferEnvelope.ReadRouting(sealedBytes).MessageId;
    }

    private static async Task<byte[]> SealFileAsync(string packageId, string fileId, byte[] content, string sender = Partner, TestTransferKeys? keys = null)
    {
        using var signer = new PemManifestSigner((keys ?? PartnerKeys.Value).SigningPrivatePem, "test");
        var message = new TransferMessage(TransferMessageKind.File, TransferIds.NewMessageId(), sender, Us, CaseApi.Now, new TransferFilePayload(packageId, fileId, content).ToBytes());
        return await TransferEnvelope.SealAsync(message, signer, OwnKeys.Value.Encryption, CancellationToken.None);
    }

    /// <summary>A sealed message with junk appended up to <paramref name="length"/>: its routing still reads.</summary>
    private static byte[] Padded(byte[] sealedBytes, int length)
    {
        var padded = new byte[length];
        sealedBytes.CopyTo(padded, 0);
        return padded;
    }

    private static async Task<HttpResponseMessage> PostAsync(CaseApi api, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await api.SendAsync(HttpMethod.Post, Intake, null, content);
    }

    private static async Task<List<TableEntity>> FileRowsAsync(CaseApi api)
    {
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(IncomingTransferFileStore.TableName));
        return [.. (await table.QueryAsync<TableEntity>().ToListAsync()).Where(row => row.RowKey.StartsWith("file.", StringComparison.Ordinal))];
    }

    private static async Task<List<string>> FileBlobsAsync(CaseApi api)
    {
        var names = new List<string>();
        await foreach (var blob in api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(IncomingTransferFileStore.Container)).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditAsync(CaseApi api, string actorId)
    {
        var outcome = await api.Host.Get<AuditQuery>().ByActorAsync(actorId, CaseApi.Now.AddDays(-1), CaseApi.Now.AddDays(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        return [.. Assert.IsType<AuditQueryOutcome.Done>(outcome).Page.Entries.Where(entry => entry.Kind != AuditEntryKinds.Intent)];
    }

    private static async Task<List<string>> PeekAsync(CaseApi api, string queue)
    {
        var client = new QueueClient(TestStorage.ConnectionString, api.Host.Names.Queue(queue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        return [.. (await client.PeekMessagesAsync(32)).Value.Select(message => message.MessageText)];
    }
}
