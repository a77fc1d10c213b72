namespace Serverless.Transfers.Outgoing;

/// <summary>What a partner's answer did to the transfer it names.</summary>
public enum TransferAnswerApplied
{
    /// <summary>Not a transfer this council sent to that partner: nothing changed (the intake refuses the answer).</summary>
    NotOurs,

    /// <summary>The transfer now shows the answer (or already did: a repeat changes nothing).</summary>
    Applied,

    /// <summary>The transfer was withdrawn: an answer no longer changes it.</summary>
    Ignored,
}
