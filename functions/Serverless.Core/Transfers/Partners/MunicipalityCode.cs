namespace Serverless.Transfers.Partners;

/// <summary>
/// 全国地方公共団体コード: five digits and a check digit (weights 6,5,4,3,2; 11 minus the sum's remainder mod 11,
/// last digit), e.g. 131016 for 千代田区. A council's id in every transfer; it names a council, never a person.
/// </summary>
public static class MunicipalityCode
{
    public static bool IsValid(string? code)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (code[i] - '0') * (6 - i);
        }

        return code[5] - '0' == (11 - (sum % 11)) % 10;
    }
}
