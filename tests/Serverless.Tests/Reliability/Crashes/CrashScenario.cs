namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// One queue handler under the crash loop: how to put one fresh event on its queue (returning what identifies it),
/// and what must hold once the event's message is settled, whatever crash came before.
/// </summary>
/// <param name="NewEventAsync">Sends one event; given what <see cref="PrepareAsync"/> returned (null without it).</param>
public sealed record CrashScenario(
    string Name,
    string Queue,
    Func<string?, Task<string>> NewEventAsync,
    Func<string, Task> AssertDoneOnceAsync)
{
    /// <summary>Arranges what an event needs, before the crash point is armed; the queues settle before the event is sent,
    /// so work the arrangement queued (a case's registration event) is not counted as the handler's steps.</summary>
    public Func<Task<string>>? PrepareAsync { get; init; }
}
