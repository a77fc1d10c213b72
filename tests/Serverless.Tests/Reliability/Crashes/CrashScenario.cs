namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// One queue handler under the crash loop: how to put one fresh event on its queue (returning what identifies it),
/// and what must hold once the event's message is settled, whatever crash came before.
/// </summary>
public sealed record CrashScenario(
    string Name,
    string Queue,
    Func<Task<string>> NewEventAsync,
    Func<string, Task> AssertDoneOnceAsync);
