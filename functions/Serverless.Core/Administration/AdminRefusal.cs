namespace Serverless.Administration;

/// <summary>Why the admin API turns a caller away before it reads or changes anything.</summary>
public enum AdminRefusal
{
    /// <summary>The caller's role may not do this.</summary>
    Forbidden,

    /// <summary>The role may, but the request did not come from an allowed network (<see cref="AdminNetworkPolicy"/>).</summary>
    OutsideNetwork,
}
