namespace Serverless.Tests.Infrastructure;

/// <summary>
/// The tests whose hosts capture Application Insights telemetry (<see cref="TelemetryCapture"/>) run one at a time. The
/// SDK's dependency collector is process-wide: of several hosts in one process only one is the active collector
/// (<c>ActiveSubscriptionManager</c>, microsoft/ApplicationInsights-dotnet-server#1013), so a host started beside another
/// one may capture no storage call at all, and its canary would have looked into nothing (seen in CI: AdminCanaryTests'
/// "telemetry items not empty" failed while WholeAppCanaryTests ran beside it).
/// </summary>
[CollectionDefinition(nameof(TelemetryCaptureCollection))]
public sealed class TelemetryCaptureCollection;
