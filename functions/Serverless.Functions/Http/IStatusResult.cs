namespace Serverless.Functions.Http;

/// <summary>A result that knows its status code before it runs, so the audit can record the outcome.</summary>
public interface IStatusResult
{
    int Status { get; }
}
