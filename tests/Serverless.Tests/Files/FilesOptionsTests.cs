using Microsoft.Extensions.Options;
using Serverless.Files;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Files;

/// <summary><c>Files:*</c> is bound by the app's one registration and checked at start-up.</summary>
public sealed class FilesOptionsTests
{
    [Fact]
    public async Task TheLimitsAreTwentyFiveMegabytesThroughAFunctionAndAHundredDirectUnlessConfigured()
    {
        await using var host = await TestHost.StartAsync(settings: new Dictionary<string, string> { ["Files:MaxDirectBytes"] = "52428800" });

        var validator = host.Get<FileValidator>();

        Assert.Equal(25L * 1024 * 1024, validator.LimitOf(UploadRoute.FunctionPath));
        Assert.Equal(50L * 1024 * 1024, validator.LimitOf(UploadRoute.Direct));
        Assert.Equal(50L * 1024 * 1024, host.Get<IOptions<FilesOptions>>().Value.MaxDirectBytes);
    }

    [Theory]
    [InlineData("104857600", "52428800", nameof(FilesOptions.MaxFunctionPathBytes))]
    [InlineData("0", "52428800", nameof(FilesOptions.MaxFunctionPathBytes))]
    [InlineData("1048576", "4294967296", nameof(FilesOptions.MaxDirectBytes))]
    public async Task AFunctionLimitOverTheDirectOneOrALimitOutOfRangeIsRefusedAtStartUp(string functionPath, string direct, string refused)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["Files:MaxFunctionPathBytes"] = functionPath,
            ["Files:MaxDirectBytes"] = direct,
        }));

        Assert.Contains(refused, string.Join("\n", failure.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    public async Task ADirectUploadAddressLivesOneToSixtyMinutesAndFifteenUnlessConfigured(string minutes)
    {
        await using (var host = await TestHost.StartAsync())
        {
            Assert.Equal(15, host.Get<IOptions<FilesOptions>>().Value.DirectUploadMinutes);
        }

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(settings: new Dictionary<string, string> { ["Files:DirectUploadMinutes"] = minutes }));

        Assert.Contains(nameof(FilesOptions.DirectUploadMinutes), string.Join("\n", failure.Failures), StringComparison.Ordinal);
    }
}
