using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Referrals;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Referrals;

/// <summary>A council may shorten the safety-confirmation limit, never lengthen it past the national 48 hours.</summary>
public sealed class ReferralOptionsTests
{
    [Theory]
    [InlineData("2.00:00:01", "12:00:00", nameof(ReferralOptions.SafetyConfirmationLimit))]
    [InlineData("00:00:00", "00:10:00", nameof(ReferralOptions.SafetyConfirmationLimit))]
    [InlineData("1.00:00:00", "1.00:00:00", nameof(ReferralOptions.ReminderLead))]
    public async Task ALimitOverFortyEightHoursOrAReminderNotBeforeTheDeadlineIsRefusedAtStartUp(string limit, string lead, string refused)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(services: collection =>
            collection.PostConfigure<ReferralOptions>(options =>
            {
                options.SafetyConfirmationLimit = TimeSpan.Parse(limit, System.Globalization.CultureInfo.InvariantCulture);
                options.ReminderLead = TimeSpan.Parse(lead, System.Globalization.CultureInfo.InvariantCulture);
            })));

        Assert.Contains("Referrals:" + refused, string.Join("\n", failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACouncilMaySetLessThanFortyEightHours()
    {
        await using var host = await TestHost.StartAsync(services: collection =>
            collection.PostConfigure<ReferralOptions>(options => options.SafetyConfirmationLimit = TimeSpan.FromHours(24)));

        Assert.Equal(TimeSpan.FromHours(24), host.Get<IOptions<ReferralOptions>>().Value.SafetyConfirmationLimit);
    }
}
