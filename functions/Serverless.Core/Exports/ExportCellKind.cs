namespace Serverless.Exports;

public enum ExportCellKind
{
    Empty,
    Text,
    Number,
    Date,
    DateTime,
}
