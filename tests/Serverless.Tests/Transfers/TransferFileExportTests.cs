using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Ops;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.Files;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using Serverless.Validation;
using static Serverless.Tests.Transfers.OutgoingTransferWorld;

namespace Serverless.Tests.Transfers;

/// <summary>
/// <c>POST /api/cases/{caseId}/transfer-files</c>: the export file for a council without this system. The receiving
/// coordinator's key is made with <c>serverless-ops transfer-key new</c> and the file opened with
/// <c>transfer-file open</c>, in-process, as the coordinator would.
/// </summary>
public sealed class TransferFileExportTests : IDisposable
{
    private const string Passphrase = "みどり市こども家庭課の合言葉";
    private const string Receiver = "131016";

    private readonly string work = Directory.CreateTempSubdirectory("serverless-transfer-export-tests-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task TheFileOpensWithTheToolAndHoldsTheCasesEntriesAndFilesWithTheirHashes()
    {
        await using var world = await StartAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var fileId = await world.ReadyFileAsync(caseId, "学校からの連絡票.pdf");
        var report = EntryApi.Report("左腕に青あざ。本人は「転んだ」と話している。");
        report["files"] = new JsonArray(fileId);
        var reportId = await api.ReportIdAsync(caseId, report);
        var commentId = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "移管ファイルで引き継ぎます" });
        var (publicPem, fingerprint) = await NewRecipientKeyAsync();

        using var response = await ExportAsync(world, caseId, Body(publicPem, TestTransferKeys.ReadOut(fingerprint)));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        var name = disposition.FileNameStar ?? disposition.FileName!.Trim('"');
        Assert.Matches($"^transfer-{caseId}-{Receiver}-tm-[0-9a-f]{{32}}\\.svtr$", name);
        Assert.All(name, c => Assert.True(char.IsAscii(c)));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var file = Path.Combine(work, "received.svtr");
        await File.WriteAllBytesAsync(file, bytes);
        Assert.True(Describe(bytes, world) is var described && described.StartsWith("opened", StringComparison.Ordinal), described);

        var (code, output, error) = await OpenAsync(file, world.Ours.SigningPublicPem);

        Assert.Equal((ExitCodes.Ok, ""), (code, error));
        Assert.Contains($"from council {Own} to council {Receiver}", output);
        var package = Assert.IsType<TransferPackage>(TransferPackage.Parse(await File.ReadAllBytesAsync(Path.Combine(work, "opened", "package.json"))));
        Assert.Equal(caseId, package.SourceCaseId);
        Assert.Contains(reportId, package.EntryIds());
        Assert.Contains(commentId, package.EntryIds());
        Assert.Equal("medium", Serverless.Entries.EntryRows.Name(package.Handover!.RiskLevel));
        Assert.Equal((null, null, false), (package.Handover.NewArea, package.Handover.FaceToFaceDate, package.Handover.FaceToFaceArranged));
        var stored = await api.Host.Get<Serverless.Files.Storage.CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        var carried = await File.ReadAllBytesAsync(Path.Combine(work, "opened", "files", "学校からの連絡票.pdf"));
        Assert.Equal(Serverless.Tests.Files.TestPdfs.Letter(), carried);
        Assert.Equal(stored!.Validated!.Stored.Sha256, Convert.ToHexStringLower(SHA256.HashData(carried)));
        Assert.Equal([stored.Validated.Stored.Sha256], package.FileHashes());

        // The disclosure, on the case: the entries carried, the receiver, the file's message id and the file hashes.
        var byCase = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;
        var disclosed = Assert.Single(byCase, entry => entry.Action == AuditActions.TransferFileExport && entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal("Succeeded", disclosed.Outcome);
        Assert.Equal(package.EntryIds().Order(StringComparer.Ordinal), disclosed.EntriesTouched!.Order(StringComparer.Ordinal));
        var logged = Assert.Single(await world.CoordinatorAuditAsync(), entry => entry.Action == AuditActions.TransferFileExport);
        Assert.Equal(Receiver, logged.Target!.MunicipalityCode);
        Assert.Contains(logged.Target.MessageId!, name);
        Assert.Equal([stored.Validated.Stored.Sha256], logged.Target.FileHashes);
    }

    [Fact]
    public async Task AWrongFingerprintAMemberAHiddenCaseAndAnUnconfiguredCouncilMakeNoFile()
    {
        await using var world = await StartAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var (publicPem, fingerprint) = await NewRecipientKeyAsync();
        using var other = new TestTransferKeys();

        using var wrongFingerprint = await ExportAsync(world, caseId, Body(publicPem, other.EncryptionFingerprint));
        using var privateKey = await ExportAsync(world, caseId, Body(other.EncryptionPrivatePem, other.EncryptionFingerprint));
        using var ownCode = await ExportAsync(world, caseId, Body(publicPem, fingerprint, code: Own));
        using var member = await ExportAsync(world, caseId, Body(publicPem, fingerprint), EntryApi.Teacher);
        using var hidden = await ExportAsync(world, caseId, Body(publicPem, fingerprint), EntryApi.UnnamedTeacher);
        using var missing = await ExportAsync(world, Serverless.Cases.CaseIds.New(), Body(publicPem, fingerprint));

        await CaseApi.ValidationErrorsAsync(wrongFingerprint, ("$.recipient.encryptionKeyFingerprint", FieldRules.FingerprintMismatch));
        await CaseApi.ValidationErrorsAsync(privateKey, ("$.recipient.encryptionKeyPem", FieldRules.InvalidValue));
        await CaseApi.ValidationErrorsAsync(ownCode, ("$.recipient.municipalityCode", FieldRules.InvalidId));
        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        Assert.DoesNotContain(await world.CoordinatorAuditAsync(), entry => entry.Action == AuditActions.TransferFileExport && entry.Outcome == "Succeeded");

        await using var unconfigured = await StartAsync(configured: false);
        var unconfiguredCase = await unconfigured.Api.SharedCaseAsync();
        using var notConfigured = await ExportAsync(unconfigured, unconfiguredCase, Body(publicPem, fingerprint));
        await CaseApi.ProblemAsync(notConfigured, ProblemCatalogue.TransfersNotConfigured);
    }

    [Fact]
    public async Task TheSizeLimitHoldsAtTheByteAndSaysTheCounts()
    {
        await using var world = await StartAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var fileId = await world.ReadyFileAsync(caseId);
        var report = EntryApi.Report("連絡票を添付します。");
        report["files"] = new JsonArray(fileId);
        await api.ReportIdAsync(caseId, report);
        var (publicPem, fingerprint) = await NewRecipientKeyAsync();
        var settings = api.Host.Get<IOptions<TransferOptions>>().Value;
        Assert.Equal(100L * 1024 * 1024, settings.ExportMaxBytes);

        using var first = await ExportAsync(world, caseId, Body(publicPem, fingerprint));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var length = (await first.Content.ReadAsByteArrayAsync()).LongLength;

        // A file's length varies by a few bytes from one export to the next (the signature's base64 is JSON-escaped), so
        // each side of the limit is tried until a file of exactly `length` bytes is made: allowed at the limit, refused
        // one byte under it. Every other answer must still be on the right side.
        settings.ExportMaxBytes = length;
        var madeAtLimit = false;
        for (var attempt = 0; attempt < 80 && !madeAtLimit; attempt++)
        {
            using var response = await ExportAsync(world, caseId, Body(publicPem, fingerprint));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var made = (await response.Content.ReadAsByteArrayAsync()).LongLength;
                Assert.True(made <= length, $"{made} bytes made under a limit of {length}");
                madeAtLimit = made == length;
            }
            else
            {
                var refused = await CaseApi.ProblemAsync(response, ProblemCatalogue.TransfersExportTooLarge);
                Assert.Contains($"{length} バイト）", (string)refused["detail"]!, StringComparison.Ordinal);
            }
        }

        Assert.True(madeAtLimit, $"no export of exactly {length} bytes was allowed at a limit of {length}");
        settings.ExportMaxBytes = length - 1;
        var refusedAtLength = false;
        for (var attempt = 0; attempt < 80 && !refusedAtLength; attempt++)
        {
            using var response = await ExportAsync(world, caseId, Body(publicPem, fingerprint));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True((await response.Content.ReadAsByteArrayAsync()).LongLength <= length - 1);
                continue;
            }

            var problem = await CaseApi.ProblemAsync(response, ProblemCatalogue.TransfersExportTooLarge);
            Assert.Equal(OutgoingTransferRefusals.ExportTooLarge, (string?)problem["reason"]);
            var detail = (string)problem["detail"]!;
            Assert.Contains($"ファイル 400 件・{length - 1} バイト", detail, StringComparison.Ordinal);
            refusedAtLength = detail.Contains($"添付ファイル 1 件・{length} バイト", StringComparison.Ordinal);
        }

        Assert.True(refusedAtLength, $"no export of {length} bytes was refused at a limit of {length - 1}");

        settings.ExportMaxBytes = Serverless.Tests.Files.TestPdfs.Letter().Length - 1; // smaller than the files alone: refused before any file is read
        using var filesOver = await ExportAsync(world, caseId, Body(publicPem, fingerprint));
        var filesProblem = await CaseApi.ProblemAsync(filesOver, ProblemCatalogue.TransfersExportTooLarge);
        Assert.Contains($"{Serverless.Tests.Files.TestPdfs.Letter().Length} バイト", (string)filesProblem["detail"]!, StringComparison.Ordinal);
    }

    /// <summary>What the file holds, opened here with the recipient's private key (a failure says why, for the test's message).</summary>
    private string Describe(byte[] bytes, OutgoingTransferWorld world)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromEncryptedPem(File.ReadAllText(Path.Combine(work, "keys", "transfer-key.pem")), Passphrase);
        try
        {
            var opened = TransferFile.Open(bytes, rsa, world.Ours.Signing);
            return $"opened {bytes.Length} bytes: package {opened.PackageJson.Length} bytes, files {string.Join(",", opened.Files.Select(f => f.Content.Length))}; {Encoding.UTF8.GetString(opened.PackageJson)}";
        }
        catch (Exception ex)
        {
            return $"not opened ({bytes.Length} bytes, starts {Convert.ToHexString(bytes.AsSpan(0, Math.Min(16, bytes.Length)))}): {ex.GetType().Name} {ex.Message}";
        }
    }

    private static JsonObject Body(string publicPem, string fingerprint, string code = Receiver) => new()
    {
        ["recipient"] = new JsonObject
        {
            ["municipalityCode"] = code,
            ["encryptionKeyPem"] = publicPem,
            ["encryptionKeyFingerprint"] = fingerprint,
        },
        ["reason"] = new JsonObject { ["kind"] = "family-move" }, // no new area, no face-to-face date: both travel as null
        ["riskLevel"] = "medium",
        ["summary"] = "母と本人で千代田区へ転居。移管ファイルで引き継ぎます。",
        ["faceToFace"] = new JsonObject { ["arranged"] = false },
    };

    private static Task<HttpResponseMessage> ExportAsync(OutgoingTransferWorld world, string caseId, JsonNode body, string person = CaseApi.Coordinator)
        => world.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfer-files", person, CaseApi.Json(body));

    /// <summary>The receiving coordinator's key, made by the tool: its public PEM and fingerprint.</summary>
    private async Task<(string PublicPem, string Fingerprint)> NewRecipientKeyAsync()
    {
        var passphraseFile = Path.Combine(work, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, Passphrase, Encoding.UTF8);
        var keys = Path.Combine(work, "keys");
        if (!File.Exists(Path.Combine(keys, "transfer-key.pub.pem")))
        {
            var (code, _, error) = await OpsTool.RunAsync(null, "transfer-key", "new", "--out", keys, "--passphrase-file", passphraseFile);
            Assert.Equal((ExitCodes.Ok, ""), (code, error));
        }

        var pem = await File.ReadAllTextAsync(Path.Combine(keys, "transfer-key.pub.pem"));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return (pem, KeyFingerprint.Of(rsa));
    }

    private Task<(int ExitCode, string Output, string Error)> OpenAsync(string file, string senderPublicPem)
    {
        var senderKey = Path.Combine(work, "sender.pub.pem");
        File.WriteAllText(senderKey, senderPublicPem);
        return OpsTool.RunAsync(
            null, "transfer-file", "open", "--file", file, "--key", Path.Combine(work, "keys", "transfer-key.pem"), "--sender-key", senderKey,
            "--out", Path.Combine(work, "opened"), "--passphrase-file", Path.Combine(work, "passphrase.txt"));
    }
}
