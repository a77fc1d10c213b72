namespace Serverless.Tests.Reliability.Crashes;

/// <summary>Where the host dies: before its <see cref="Step"/>-th storage request reaches storage (between steps
/// <see cref="Step"/> − 1 and <see cref="Step"/>), or after storage answered it but before the answer reached the app.</summary>
public sealed record CrashPoint(int Step, bool AfterAnswer)
{
    public override string ToString() => $"{(AfterAnswer ? "after" : "before")} step {Step}";
}
