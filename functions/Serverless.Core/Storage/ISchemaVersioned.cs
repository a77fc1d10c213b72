namespace Serverless.Storage;

/// <summary>
/// Every stored entity and every queue message says which shape it has, so a later release can
/// read old rows and old messages (and refuse ones from the future) instead of guessing.
/// </summary>
public interface ISchemaVersioned
{
    int SchemaVersion { get; }
}
