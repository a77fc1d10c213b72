using System.Globalization;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Time;

namespace Serverless.DevHost;

/// <summary>
/// What each demo case's timeline says: a few weeks of reports, comments and the case's own changes, invented, in
/// the words the agencies would use. Entries are added oldest first because the timeline is ordered by when the
/// server received them (now); <c>observedAt</c> carries when each thing was actually seen, days ago in Japan time.
/// Days are counted from a Monday so the weekdays the narratives name are the real ones.
/// </summary>
public sealed class DemoTimeline(DemoTimelineWriter writer, TimeProvider clock)
{
    private const string Coordinator = "coordinator-sato";
    private const string NightCoordinator = "coordinator-mori";
    private const string Teacher = "teacher-tanaka";
    private const string NurseryHead = "nursery-yamada";
    private const string Nurse = "nurse-suzuki";

    private static readonly ScopeInput Everyone = new() { Audience = EntryAudience.AllParticipants };

    /// <summary>青木 陽向 (9): absent three days, back with bruises, tells his teacher who hits him; the nurse visits.</summary>
    public async Task<int> SchoolChildAsync(string caseId, CancellationToken cancellationToken)
    {
        var week = MondayOnOrBefore(Today.AddDays(-21));
        var schoolForm = await writer.FormAsync("minami-shogakko", "南小学校 欠席連絡フォーム（デモ）", cancellationToken);
        var timeline = writer.Open(caseId);

        await timeline.ReportAsync(schoolForm, new ReportRequest
        {
            ObservedAt = At(week.AddDays(2), 16, 30),
            Kind = ReportKind.Attendance,
            Narrative = "月曜から水曜まで3日続けて欠席。毎朝家庭に電話しているが、つながらない。登録ケースのため連絡します。",
            Scope = Everyone,
            Absence = new AbsenceInput { From = week, To = week.AddDays(2), SchoolDaysAbsent = 3, ReasonGiven = false },
            SubmittedBy = new SubmitterInput { Name = "高橋 和子", Role = "教頭" },
        }, cancellationToken);

        // The school nurse's record photo goes with the report (a plain stand-in picture: no real injury is shown).
        var photo = await timeline.FileAsync(Teacher, "保健室の記録写真.jpg", DemoPhoto.Jpeg(), cancellationToken);
        var injury = await timeline.ReportAsync(Teacher, Bruises(week.AddDays(3), "4日ぶりに登校。左の頬と右腕に青あざがあった。本人は「階段で転んだ」と話す。保健室で養護教諭と一緒に確認した。", BodyPart.Face, BodyPart.Arms) with { Files = [photo] }, cancellationToken);
        await timeline.CorrectAsync(
            Teacher,
            injury,
            "腕のあざの左右を書き誤ったため訂正。養護教諭の記録と照合し、背中のあざを追記。",
            Bruises(week.AddDays(3), "4日ぶりに登校。左の頬と左腕に青あざがあった。養護教諭の確認で、背中にも手のひらほどの大きさのあざが見つかった。本人は「階段で転んだ」と話す。", BodyPart.Face, BodyPart.Arms, BodyPart.Back),
            cancellationToken);

        // The child's own words about a guardian reach coordinators only (and the school that wrote them): the
        // lesson of Noda 2019, where such words were handed to the father.
        var words = await timeline.ReportAsync(Teacher, new ReportRequest
        {
            ObservedAt = At(week.AddDays(3), 12, 40),
            Kind = ReportKind.ChildsWords,
            Urgency = ReportUrgency.Urgent,
            Narrative = "給食のあと、本人から担任に「お父さんに怒られると、たたかれる。お母さんには言わないで」と話があった。こちらからは質問を重ねず、話してくれたことにお礼を伝えた。本人の言葉のまま記録する。",
            Scope = new ScopeInput { Audience = EntryAudience.CoordinatorsOnly },
        }, cancellationToken);
        await timeline.CommentAsync(Coordinator, new CommentRequest
        {
            InReplyTo = words,
            Text = "田中先生、本人の言葉をそのまま記録してくださりありがとうございます。学校での聞き取りはこれ以上行わず、見守りをお願いします。本日中に児童相談所と協議します。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(Teacher)] },
        }, cancellationToken);

        var visitAsked = await timeline.CommentAsync(Coordinator, new CommentRequest
        {
            InReplyTo = injury,
            Text = "ご報告ありがとうございます。保健センターに家庭訪問をお願いしました。訪問の結果はこのタイムラインで共有します。",
            Mentions = new MentionsInput { AgencyIds = ["midori-hoken-center"] },
        }, cancellationToken);
        await timeline.CommentAsync(Nurse, new CommentRequest { InReplyTo = visitAsked, Text = "承知しました。来週火曜の午後に家庭訪問します。" }, cancellationToken);

        var visit = await timeline.ReportAsync(Nurse, new ReportRequest
        {
            ObservedAt = At(week.AddDays(8), 14, 0),
            Kind = ReportKind.HomeVisit,
            Narrative = "母と本人に面会。頬のあざは薄くなっていた。母は「夫は仕事が忙しく、いらいらしている」と話す。継父は仕事で不在のため会えず。母には子ども家庭課の相談窓口を改めて案内した。2週間後に再訪問の予定。",
            Scope = Everyone,
        }, cancellationToken);
        await timeline.CommentAsync(Teacher, new CommentRequest
        {
            InReplyTo = visit,
            Text = "鈴木さん、訪問の様子を共有いただきありがとうございます。今週は毎日登校しています。朝の会で表情を見て、気になることがあればすぐに報告します。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(Nurse)] },
        }, cancellationToken);

        return timeline.Done();
    }

    /// <summary>森本 さくら (4): hungry and in the same clothes at nursery; the health centre joins and visits.</summary>
    public async Task<int> NurseryChildAsync(string caseId, CancellationToken cancellationToken)
    {
        var week = MondayOnOrBefore(Today.AddDays(-20));
        var nurseryForm = await writer.FormAsync("hikari-hoikuen", "ひかり保育園 出欠連絡フォーム（デモ）", cancellationToken);
        var timeline = writer.Open(caseId);

        var hungry = await timeline.ReportAsync(NurseryHead, new ReportRequest
        {
            ObservedAt = At(week, 9, 30),
            Kind = ReportKind.Other,
            Narrative = "3日続けて同じ服で登園。朝食を食べていない様子で、午前中に何度も「おなかすいた」と言う。お迎えは閉園間際が続いている。",
            Scope = Everyone,
        }, cancellationToken);
        await timeline.ReportAsync(nurseryForm, new ReportRequest
        {
            ObservedAt = At(week.AddDays(4), 17, 0),
            Kind = ReportKind.Attendance,
            Narrative = "水曜から金曜まで欠席。母から「熱が出た」と連絡があったが、受診はしていないとのこと。",
            Scope = Everyone,
            Absence = new AbsenceInput { From = week.AddDays(2), To = week.AddDays(4), SchoolDaysAbsent = 3, ReasonGiven = true },
            SubmittedBy = new SubmitterInput { Name = "中村 さおり", Role = "主任保育士" },
        }, cancellationToken);
        await timeline.CommentAsync(NightCoordinator, new CommentRequest
        {
            InReplyTo = hungry,
            Text = "山田園長、ご連絡ありがとうございます。食事と生活の様子が心配ですので、保健センターの保健師に家庭訪問をお願いすることにしました。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(NurseryHead)] },
        }, cancellationToken);

        await timeline.JoinAsync(Coordinator, "midori-hoken-center", week.AddDays(7), Nurse, "保健師による家庭訪問を始めるため、保健センターが参加", cancellationToken);

        var visit = await timeline.ReportAsync(Nurse, new ReportRequest
        {
            ObservedAt = At(week.AddDays(8), 10, 0),
            Kind = ReportKind.HomeVisit,
            Narrative = "母と本人に面会。室内に衣類やごみ袋が多く、冷蔵庫に食品がほとんどない。母は夜のパートで睡眠が足りないと話す。食料支援とファミリー・サポートの利用を案内し、母は申し込みたいと話した。",
            Scope = Everyone,
        }, cancellationToken);
        var nurseryAnswer = await timeline.CommentAsync(NurseryHead, new CommentRequest
        {
            InReplyTo = visit,
            Text = "訪問ありがとうございました。園でも登園後に軽食を用意できるよう調整します。お迎えの時にお母さんに声をかけるようにします。",
        }, cancellationToken);
        await timeline.CommentAsync(Nurse, new CommentRequest
        {
            InReplyTo = nurseryAnswer,
            Text = "ありがとうございます、心強いです。園での食事の様子を、またこちらで教えてください。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(NurseryHead)] },
        }, cancellationToken);

        await timeline.ReportAsync(NurseryHead, new ReportRequest
        {
            ObservedAt = At(week.AddDays(10), 18, 10),
            Kind = ReportKind.GuardianContact,
            Narrative = "お迎えの時に母と話した。ファミリー・サポートに申し込んだとのこと。今週は毎朝食べてから登園している。母の表情も少し明るい。",
            Scope = Everyone,
        }, cancellationToken);

        return timeline.Done();
    }

    /// <summary>川口 美咲 (19), expecting, in a DV shelter: nothing here says where she is.</summary>
    public async Task<int> ExpectantMotherAsync(string caseId, CancellationToken cancellationToken)
    {
        var week = MondayOnOrBefore(Today.AddDays(-21));
        var timeline = writer.Open(caseId);

        var checkup = await timeline.ReportAsync(Nurse, Checkup(week.AddDays(1), "4週間後"), cancellationToken);
        await timeline.CorrectAsync(Nurse, checkup, "次回健診の時期を誤って記載したため訂正（予約票で確認）。", Checkup(week.AddDays(1), "2週間後"), cancellationToken);
        await timeline.CommentAsync(Coordinator, new CommentRequest
        {
            InReplyTo = checkup,
            Text = "同行ありがとうございます。住民票の写しなどの交付制限（DV等支援措置）は、子ども家庭課で手続きを進めています。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(Nurse)] },
        }, cancellationToken);

        await timeline.ReportAsync(Coordinator, new ReportRequest
        {
            ObservedAt = At(week.AddDays(3), 15, 0),
            Kind = ReportKind.MeetingNote,
            Narrative = "個別ケース検討会議（子ども家庭課・保健センター）。出産までは保健師が2週間ごとに面談し、出産後は早めに新生児訪問を行う。所在の秘匿を続け、関係機関からの問い合わせには子ども家庭課がまとめて対応する。",
            Scope = Everyone,
        }, cancellationToken);

        await timeline.ReportAsync(Nurse, new ReportRequest
        {
            ObservedAt = At(week.AddDays(9), 14, 0),
            Kind = ReportKind.Other,
            Narrative = "保健センターで面談。体調は安定している。出産準備品がまだそろっておらず、本人は「相談できる人がいない」と話す。",
            Scope = Everyone,
        }, cancellationToken);
        var question = await timeline.CommentAsync(Nurse, new CommentRequest
        {
            Text = "出産準備品の支援について、次回の面談で本人に案内したいと思います。案内資料をいただけますか。",
            Mentions = new MentionsInput { PersonIds = [DemoPeople.PersonId(Coordinator)] },
        }, cancellationToken);
        await timeline.CommentAsync(Coordinator, new CommentRequest
        {
            InReplyTo = question,
            Text = "承知しました。明日までに保健センターへお届けします。いつも丁寧な支援をありがとうございます。",
        }, cancellationToken);

        return timeline.Done();
    }

    private DateOnly Today => JapanTime.Today(clock);

    private static ReportRequest Bruises(DateOnly day, string narrative, params BodyPart[] bodyParts) => new()
    {
        ObservedAt = At(day, 8, 20),
        Kind = ReportKind.Injury,
        Urgency = ReportUrgency.Urgent,
        Narrative = narrative,
        Scope = Everyone,
        Injury = new InjuryInput { BodyParts = bodyParts },
    };

    private static ReportRequest Checkup(DateOnly day, string nextCheckup) => new()
    {
        ObservedAt = At(day, 10, 30),
        Kind = ReportKind.HealthCheck,
        Narrative = $"妊婦健診に同行。母子ともに経過は順調。本人は「出産後の生活が不安」と話す。次回の健診は{nextCheckup}。",
        Scope = Everyone,
    };

    /// <summary>A time on a Japan date, as a form would send it (<c>2025-06-16T08:20:00+09:00</c>).</summary>
    private static string At(DateOnly day, int hour, int minute)
        => JapanTime.StartOfDay(day).AddHours(hour).AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static DateOnly MondayOnOrBefore(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
