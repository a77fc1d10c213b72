namespace Serverless.Stats;

/// <summary>The child's age band as the national figures (福祉行政報告例, 児童虐待相談の対応件数) count it.</summary>
public enum AgeBand
{
    Unknown,

    /// <summary>0〜3歳未満.</summary>
    UnderThree,

    /// <summary>3歳〜学齢前.</summary>
    Preschool,

    /// <summary>小学生.</summary>
    Elementary,

    /// <summary>中学生.</summary>
    JuniorHigh,

    /// <summary>高校生・その他.</summary>
    HighSchoolAndOlder,
}

public static class AgeBands
{
    /// <summary>The band on <paramref name="day"/>. School years start on 1 April and a child born on 1 April
    /// joins the year above (早生まれ: 2 January to 1 April), as the School Education Act counts them.</summary>
    public static AgeBand On(DateOnly? birthDate, DateOnly day)
    {
        if (birthDate is not { } born || born > day)
        {
            return AgeBand.Unknown;
        }

        var age = day.Year - born.Year - (day < born.AddYears(day.Year - born.Year) ? 1 : 0);
        if (age < 3)
        {
            return AgeBand.UnderThree;
        }

        // School grade: the school year of the day minus the school year the child enters (the April after turning 6).
        var schoolYear = day.Month >= 4 ? day.Year : day.Year - 1;
        var entersIn = (born.Month > 4 || (born.Month == 4 && born.Day > 1)) ? born.Year + 7 : born.Year + 6;
        var grade = schoolYear - entersIn + 1;
        return grade switch
        {
            < 1 => AgeBand.Preschool,
            <= 6 => AgeBand.Elementary,
            <= 9 => AgeBand.JuniorHigh,
            _ => AgeBand.HighSchoolAndOlder,
        };
    }

    public static string Japanese(AgeBand band) => band switch
    {
        AgeBand.UnderThree => "0〜3歳未満",
        AgeBand.Preschool => "3歳〜学齢前",
        AgeBand.Elementary => "小学生",
        AgeBand.JuniorHigh => "中学生",
        AgeBand.HighSchoolAndOlder => "高校生・その他",
        _ => "不明",
    };
}
