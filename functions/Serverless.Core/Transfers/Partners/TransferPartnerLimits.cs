namespace Serverless.Transfers.Partners;

public static class TransferPartnerLimits
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxEndpointUrlLength = 500;

    /// <summary>A 4096-bit RSA public key is about 800 characters of PEM; room for 8192 bits and line ends.</summary>
    public const int MaxKeyPemLength = 4000;

    /// <summary>More partners than Japan has municipalities (1,741) is not a list anyone keeps.</summary>
    public const int MaxPartners = 2000;

    public const int MaxBodyBytes = 16 * 1024;
}
