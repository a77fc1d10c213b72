using Xunit.Abstractions;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

public sealed class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scratch()
    {
        await using var api = await CaseApi.StartAsync();
        var id = await api.ReferralIdAsync(Referral());
        using var r = await api.GetReferralAsync(id);
        var key = await Serverless.Tests.Entries.EntryApi.KeyAsync(api, Serverless.Tests.Entries.EntryApi.School);
        using var l = await api.ListReferralsAsync("", person: null, key: key);
        output.WriteLine(await l.Content.ReadAsStringAsync());
        foreach (var e in api.Host.Logs.Entries.Where(e => e.Exception is not null)) output.WriteLine(e.Everything);
        Assert.Fail("x");
    }
}
