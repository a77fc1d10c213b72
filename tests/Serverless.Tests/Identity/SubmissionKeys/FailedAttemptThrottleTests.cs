using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Tests.Identity.SubmissionKeys;

/// <summary>The per-address throttle on a fake clock (it keeps no storage: it counts in memory, per instance).</summary>
public sealed class FailedAttemptThrottleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Scanner = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress School = IPAddress.Parse("198.51.100.10");

    [Fact]
    public void TenFailuresBlockTheEleventhAttemptFromThatAddressOnly()
    {
        var (throttle, _) = Create();

        for (var i = 0; i < 9; i++)
        {
            throttle.RecordFailure(Scanner);
        }

        Assert.Null(throttle.RetryAfterSeconds(Scanner));
        throttle.RecordFailure(Scanner);

        Assert.Equal(600, throttle.RetryAfterSeconds(Scanner));
        Assert.Null(throttle.RetryAfterSeconds(School));
        Assert.Null(throttle.RetryAfterSeconds(null));
    }

    [Fact]
    public void TheBlockEndsWhenTheWindowFromTheFirstFailurePasses()
    {
        var (throttle, clock) = Create();
        throttle.RecordFailure(Scanner);
        clock.Advance(TimeSpan.FromMinutes(4));
        Fail(throttle, Scanner, 9);

        Assert.Equal(360, throttle.RetryAfterSeconds(Scanner));
        clock.Advance(TimeSpan.FromSeconds(359.5));
        Assert.Equal(1, throttle.RetryAfterSeconds(Scanner));
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(throttle.RetryAfterSeconds(Scanner));

        // A fresh window: nine more failures do not block.
        Fail(throttle, Scanner, 9);
        Assert.Null(throttle.RetryAfterSeconds(Scanner));
    }

    [Fact]
    public void FailuresSpreadOverMoreThanAWindowNeverBlock()
    {
        var (throttle, clock) = Create();

        for (var i = 0; i < 30; i++)
        {
            throttle.RecordFailure(Scanner);
            Assert.Null(throttle.RetryAfterSeconds(Scanner));
            clock.Advance(TimeSpan.FromSeconds(72)); // nine failures fit in each 10-minute window
        }
    }

    [Fact]
    public void IPv6AddressesCountPerSlash64AndMappedIPv4CountsAsIPv4()
    {
        var (throttle, _) = Create();
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"2001:db8:aa:bb::{i + 1:x}"));
        }

        throttle.RecordFailure(IPAddress.Parse("::ffff:203.0.113.66"));
        Fail(throttle, Scanner, 9);

        Assert.Equal(600, throttle.RetryAfterSeconds(IPAddress.Parse("2001:db8:aa:bb:ffff::1")));
        Assert.Null(throttle.RetryAfterSeconds(IPAddress.Parse("2001:db8:aa:bc::1")));
        Assert.Equal(600, throttle.RetryAfterSeconds(Scanner));
    }

    [Fact]
    public void MemoryIsCappedByForgettingTheOldestAddresses()
    {
        var (throttle, clock) = Create(maxTracked: 10);
        Fail(throttle, Scanner, 10);
        for (var i = 0; i < 25; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            throttle.RecordFailure(IPAddress.Parse($"192.0.2.{i}"));
        }

        Assert.Equal(10, throttle.TrackedAddresses);
        Assert.Null(throttle.RetryAfterSeconds(Scanner)); // the oldest was forgotten
        Fail(throttle, IPAddress.Parse("192.0.2.24"), 9);
        Assert.NotNull(throttle.RetryAfterSeconds(IPAddress.Parse("192.0.2.24"))); // the newest is still counted
    }

    [Fact]
    public void ExpiredWindowsAreDroppedBeforeAnythingLiveIsEvicted()
    {
        var (throttle, clock) = Create(maxTracked: 10);
        for (var i = 0; i < 9; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"192.0.2.{i}"));
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        Fail(throttle, Scanner, 10);

        Assert.Equal(1, throttle.TrackedAddresses);
        Assert.Equal(600, throttle.RetryAfterSeconds(Scanner));
    }

    [Fact]
    public async Task ConcurrentFailuresAreEachCountedOnce()
    {
        var clock = new FakeTimeProvider(Now);
        var throttle = new FailedAttemptThrottle(Options.Create(new SubmissionKeyOptions { MaxFailedAttempts = 1000 }), clock);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Fail(throttle, Scanner, 124))));
        Assert.Null(throttle.RetryAfterSeconds(Scanner)); // 992
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Fail(throttle, Scanner, 1))));

        Assert.Equal(600, throttle.RetryAfterSeconds(Scanner)); // exactly 1000: none lost
    }

    [Fact]
    public async Task TheCapHoldsUnderConcurrentChurn()
    {
        var (throttle, _) = Create(maxTracked: 100);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                throttle.RecordFailure(IPAddress.Parse($"10.{worker}.{i / 250}.{i % 250}"));
                throttle.RetryAfterSeconds(Scanner);
            }
        })));

        Assert.Equal(100, throttle.TrackedAddresses);
    }

    private static void Fail(FailedAttemptThrottle throttle, IPAddress address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(address);
        }
    }

    private static (FailedAttemptThrottle Throttle, FakeTimeProvider Clock) Create(int maxTracked = 10_000)
    {
        var clock = new FakeTimeProvider(Now);
        var options = Options.Create(new SubmissionKeyOptions { MaxTrackedAddresses = maxTracked });
        return (new FailedAttemptThrottle(options, clock), clock);
    }
}
