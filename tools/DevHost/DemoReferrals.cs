using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Referrals;
using Serverless.Time;

namespace Serverless.DevHost;

/// <summary>
/// Three referrals (通告・相談) of みどり市, received and handled through the app's own services as the coordinators'
/// requests would be: a neighbour's call a coordinator entered 30 hours before start-up (its clock still running), a
/// nursery form's report decided into さくら's case after a sighting, and a public-health nurse's consultation closed
/// with no further action. Each step's service is built with the clock standing at the moment the step happened, so
/// receipts, deadlines, sightings and decisions carry their own times. Who referred stays where the app puts it: on
/// the referral, which only coordinators read.
/// </summary>
public sealed class DemoReferrals(IServiceProvider services, DemoTimelineWriter writer, TimeProvider clock, ILogger<DemoReferrals> logger)
{
    private const string Coordinator = "coordinator-sato";
    private const string NightCoordinator = "coordinator-mori";

    /// <summary>Seeds the three; returns how many entries they put on case timelines (the referral decided into a case
    /// and its sighting).</summary>
    public async Task<int> SeedAsync(string nurseryChildCaseId, CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(clock);
        await NeighboursCallAsync(clock.GetUtcNow(), cancellationToken);
        await NurseryFormAsync(today, nurseryChildCaseId, cancellationToken);
        await NursesConsultationAsync(today, cancellationToken);
        logger.LogInformation(
            "Demo referrals: {ReferralCount}, {OpenCount} open with its safety-confirmation clock running, one decided into case {CaseId}",
            3, 1, nurseryChildCaseId);
        return 2;
    }

    /// <summary>大野 さん's boy (about 5): a neighbour phoned, 森 entered the call (代理入力). Nobody has seen the child yet.</summary>
    private async Task NeighboursCallAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var receivedAt = now.AddHours(-30);
        await ReceiveAsync(receivedAt, DemoTimelineWriter.Person(NightCoordinator), new ReferralRequest
        {
            Kind = ReferralKind.AbuseReport,
            ObservedAt = Text(receivedAt.AddMinutes(-50)),
            Narrative = "アパートの隣の部屋から、子どもの激しい泣き声と大人の怒鳴り声が30分ほど続いた。「ごめんなさい、もうしません」と何度も謝る声が聞こえた。この1週間で3回目。男の子は5歳くらいで、昼間に外で遊んでいる姿はほとんど見ない。母親と二人暮らしだと思う。",
            Child = new ChildDescription
            {
                Name = new PersonName { Family = "大野", FamilyKana = "オオノ" },
                ApproximateAge = 5,
                Sex = Sex.Male,
                Area = "みどり市北町3丁目",
                Address = "みどり市北町3丁目 コーポ北町 2階",
                Guardians = [new GuardianDescription { Name = new PersonName { Family = "大野" }, Relationship = Relationship.Mother }],
            },
            Referrer = new ReferrerInput { Name = "石井 和代", Relation = "近隣住民（同じアパートの隣室）", Contact = "090-4821-7365", MayContact = true },
            Intake = new IntakeInput { Channel = ReferralChannel.Phone, Route = ReferralRoute.Neighbour },
        }, "receiving the neighbour's call", cancellationToken);
    }

    /// <summary>森本 さくら (4): bruises seen at drop-off, sent through the nursery's form; seen by the head the same morning,
    /// added to her case at the next day's intake meeting with a summary for the case's members.</summary>
    private async Task NurseryFormAsync(DateOnly today, string caseId, CancellationToken cancellationToken)
    {
        var day = today.AddDays(-3);
        var form = await writer.FormAsync("hikari-hoikuen", "ひかり保育園 通告フォーム（デモ）", cancellationToken);
        var referralId = await ReceiveAsync(At(day, 9, 20), form, new ReferralRequest
        {
            Kind = ReferralKind.AbuseReport,
            ObservedAt = Text(At(day, 8, 45)),
            Narrative = "登園時の視診で、右の二の腕に指の形のような赤いあざが3か所あった。本人に聞くと黙ってしまい、しばらくして「ママがぎゅってした」と小さな声で話した。母は送りの時に急いでいて、声をかけられなかった。",
            Child = new ChildDescription
            {
                Name = new PersonName { Family = "森本", Given = "さくら", FamilyKana = "モリモト", GivenKana = "サクラ" },
                ApproximateAge = 4,
                Sex = Sex.Female,
                SchoolOrNursery = "ひかり保育園",
            },
            SubmittedBy = new SubmitterInput { Name = "小川 美穂", Role = "保育士（4歳児クラス担任）" },
        }, "receiving the nursery's form", cancellationToken);

        var sighting = await At<SafetyConfirmations>(At(day, 11, 5)).RecordAsync(DemoTimelineWriter.Person(Coordinator), referralId, new SafetyConfirmationRequest
        {
            SeenAt = Text(At(day, 10, 30)),
            SeenBy = new SeenByInput { AgencyId = "hikari-hoikuen", PersonId = DemoPeople.PersonId("nursery-yamada") },
            Method = SightingMethod.AtNursery,
            Place = "ひかり保育園 事務室",
            Condition = "園長が本人と面会。右上腕に赤いあざ3か所（各1cm程度）。ほかに傷はない。給食をよく食べ、友だちと遊んでいる。",
            InjurySeen = true,
        }, cancellationToken);
        Done(sighting, $"recording the sighting of referral {referralId}");

        var decided = await At<ReferralTriage>(At(day.AddDays(1), 16, 0)).DecideAsync(DemoTimelineWriter.Person(Coordinator), referralId, new DecisionRequest
        {
            Outcome = ReferralOutcome.ExistingCase,
            MeetingDate = day.AddDays(1),
            CaseId = caseId,
            Summary = "右上腕のあざについての通告を受理会議で本ケースに加えた。当日のうちに園で目視し、あざは軽く、元気に過ごしていることを確認済み。保健師の次回訪問を前倒しし、母の育児負担について話を聞く。園では引き続き登園時の様子を見守る。",
        }, cancellationToken);
        Done(decided, $"deciding referral {referralId}");
    }

    /// <summary>西田 さん's baby (4 months): the nurse's 養護相談 after a check-up, closed with no further action because
    /// the health centre's own support covers it.</summary>
    private async Task NursesConsultationAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var day = today.AddDays(-9);
        var referralId = await ReceiveAsync(At(day, 15, 10), DemoTimelineWriter.Person("nurse-suzuki"), new ReferralRequest
        {
            Kind = ReferralKind.CareConsultation,
            ObservedAt = Text(At(day, 10, 30)),
            Narrative = "4か月児健診で、母が「夜泣きがひどく、ほとんど眠れない。かわいいと思えない時がある」と涙ぐんで話した。父は単身赴任中で、近くに頼れる親族がいない。児の体重の増え方は順調で、外傷などは見られない。",
            Child = new ChildDescription
            {
                Name = new PersonName { Family = "西田", Given = "蓮", FamilyKana = "ニシダ", GivenKana = "レン" },
                ApproximateAge = 0,
                Sex = Sex.Male,
                Area = "みどり市東町1丁目",
                Guardians = [new GuardianDescription { Name = new PersonName { Family = "西田", Given = "彩花" }, Relationship = Relationship.Mother }],
            },
        }, "receiving the nurse's consultation", cancellationToken);

        var decided = await At<ReferralTriage>(At(day.AddDays(2), 16, 30)).DecideAsync(DemoTimelineWriter.Person(Coordinator), referralId, new DecisionRequest
        {
            Outcome = ReferralOutcome.NoFurtherAction,
            MeetingDate = day.AddDays(2),
            Reason = "母の同意を得て、産後ケア事業（訪問型）と子育て支援センターの利用につないだ。保健センターの継続支援で対応できるため、協議会のケースとはしない。",
        }, cancellationToken);
        Done(decided, $"deciding referral {referralId}");
    }

    /// <summary>Receives a referral as <paramref name="caller"/> at <paramref name="receivedAt"/>; returns its id.</summary>
    private async Task<string> ReceiveAsync(DateTimeOffset receivedAt, Caller caller, ReferralRequest request, string step, CancellationToken cancellationToken)
    {
        var outcome = await At<ReferralIntake>(receivedAt).SubmitAsync(caller with { Audit = new() }, request, key: null, "/api/referrals", cancellationToken);
        if (outcome is not CaseOutcome<EntryAdded>.Done { Value.Response.Body: var receipt })
        {
            throw DemoRefusedException.Log(logger, step, caseId: null, outcome);
        }

        return (string)JsonNode.Parse(receipt)!["referralId"]!;
    }

    private void Done<T>(CaseOutcome<T> outcome, string step)
    {
        if (outcome is not CaseOutcome<T>.Done)
        {
            throw DemoRefusedException.Log(logger, step, caseId: null, outcome);
        }
    }

    /// <summary>The app's own service, built as the container builds it, but with the clock standing at <paramref name="at"/>.</summary>
    private T At<T>(DateTimeOffset at)
        where T : notnull => ActivatorUtilities.CreateInstance<T>(services, new StoppedClock(at));

    private static DateTimeOffset At(DateOnly day, int hour, int minute) => JapanTime.StartOfDay(day).AddHours(hour).AddMinutes(minute);

    /// <summary>A time as a form would send it, in Japan time (<c>2025-06-16T08:20:00+09:00</c>).</summary>
    private static string Text(DateTimeOffset at) => JapanTime.ToJapan(at).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A clock that stands at the moment a step happened.</summary>
    private sealed class StoppedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at.ToUniversalTime();
    }
}
