namespace PeerMatch.Matching;

/// <summary>
/// What the ranker sees of a pair, from the side of <c>a</c> (to whom <c>b</c> would be suggested).
/// Some features are directional (mentor fit), so a pair is scored both ways.
/// </summary>
public static class PairFeatures
{
    public const int Count = 30;

    /// <summary>Where the prior's own score sits among the features.</summary>
    public const int PriorIndex = 15;

    /// <summary>Within this distance, in-person meetings are practical.</summary>
    public const double NearKm = 150;

    public const int MentorGapYears = 5;

    public static double? DistanceKm(MatchProfile a, MatchProfile b) =>
        a.Place is { } pa && b.Place is { } pb ? pa.KilometresTo(pb) : null;

    /// <summary>Hours of a 09:00–18:00 working day the two share.</summary>
    public static double SharedWorkingHours(MatchProfile a, MatchProfile b) =>
        Math.Max(0, 9 - Math.Abs(a.UtcOffsetHours - b.UtcOffsetHours));

    public static bool CanMeetInPerson(MatchProfile a, MatchProfile b) => a.InPerson && b.InPerson && Within(a, b, NearKm);

    /// <summary>
    /// Within <paramref name="km"/> of each other; or, where one of the two is placed only at the middle of a region
    /// (not at a city the gazetteer knows), in the same subdivision.
    /// </summary>
    public static bool Within(MatchProfile a, MatchProfile b, double km) =>
        (DistanceKm(a, b) is { } apart && apart <= km)
        || (!(a.Place is { IsCity: true } && b.Place is { IsCity: true }) && a.Profile.Region.Subdivision is { } s && s == b.Profile.Region.Subdivision);

    public static bool CanMeetOnline(MatchProfile a, MatchProfile b) =>
        a.Online && b.Online && SharedWorkingHours(a, b) >= 2;

    /// <summary>The hard rules a pair must pass before any scoring: a shared language and a way to meet.</summary>
    public static bool CanMeet(MatchProfile a, MatchProfile b) =>
        MatchProfile.SharedCount(a.Languages, b.Languages) > 0 && (CanMeetOnline(a, b) || CanMeetInPerson(a, b));

    /// <summary>a seeks a mentor and b has the experience, or a seeks a mentee and b is that much newer.</summary>
    public static bool MentorFit(MatchProfile a, MatchProfile b) =>
        (a.Seeks("mentor") && b.Years - a.Years >= MentorGapYears && b.Seeks("mentee"))
        || (a.Seeks("mentee") && a.Years - b.Years >= MentorGapYears && b.Seeks("mentor"));

    /// <summary>
    /// Fills, in order: shared models, model Jaccard, nearness, same subdivision, shared working hours,
    /// can meet in person, experience gap, mentor fit for a, mentor fit for b, seeking Jaccard,
    /// practice-area Jaccard, shared languages, bio similarity (folded), b convenes, b's years, and the prior;
    /// then what lets the ranker learn what kinds of people want (the prior never reads these): the signed
    /// experience gap (b's years over a's), a's years, whether a seeks a mentor, a case consultation, business
    /// development or a peer group, whether b seeks business development, the distance in thousands of km,
    /// the practice areas shared, and the bios' TF-IDF cosine (topic words weigh, words every bio uses do not);
    /// then what a's own answers say (<see cref="AnswerHistory"/>): how much there is to go on, a's rate of yes, and
    /// whether b is nearer (in km, and in the experience gap) to the peers a accepted than to those a declined.
    /// Stored with each suggestion, so the order is part of the training data: append, never reorder.
    /// </summary>
    public static void Compute(MatchProfile a, MatchProfile b, Span<float> features)
    {
        var km = DistanceKm(a, b);
        features[0] = System.Numerics.BitOperations.PopCount((uint)(a.Models & b.Models));
        features[1] = MatchProfile.Jaccard(a.Models, b.Models);
        features[2] = km is { } d ? (float)Math.Exp(-d / 100) : 0;
        features[3] = a.Profile.Region.Subdivision is { } s && s == b.Profile.Region.Subdivision ? 1 : 0;
        features[4] = (float)(SharedWorkingHours(a, b) / 9);
        features[5] = CanMeetInPerson(a, b) ? 1 : 0;
        features[6] = Math.Min(1, Math.Abs(a.Years - b.Years) / 20f);
        features[7] = MentorFit(a, b) ? 1 : 0;
        features[8] = MentorFit(b, a) ? 1 : 0;
        features[9] = MatchProfile.Jaccard(a.Seeking, b.Seeking);
        features[10] = MatchProfile.Jaccard(a.PracticeAreas, b.PracticeAreas);
        features[11] = MatchProfile.SharedCount(a.Languages, b.Languages);
        features[12] = Math.Max(0, System.Numerics.Tensors.TensorPrimitives.Dot(a.Bio, b.Bio));
        features[13] = b.Profile.WillingToConvene ? 1 : 0;
        features[14] = b.Years / 60f;
        features[PriorIndex] = 0;
        features[PriorIndex] = PriorScore.Of(a, features);
        features[16] = Math.Clamp((b.Years - a.Years) / 20f, -1, 1);
        features[17] = a.Years / 60f;
        features[18] = a.Seeks("mentor") ? 1 : 0;
        features[19] = a.Seeks("case-consultation") ? 1 : 0;
        features[20] = a.Seeks("business-development") ? 1 : 0;
        features[21] = a.Seeks("peer-group") ? 1 : 0;
        features[22] = b.Seeks("business-development") ? 1 : 0;
        features[23] = km is { } far ? (float)Math.Min(5, far / 1000) : 5;
        features[24] = System.Numerics.BitOperations.PopCount((uint)(a.PracticeAreas & b.PracticeAreas));
        features[25] = MatchProfile.SparseCosine(a.BioTerms, a.BioWeights, b.BioTerms, b.BioWeights);
        var history = a.History;
        features[26] = history is null ? 0 : Math.Min(1, history.Answers / 12f);
        features[27] = history?.YesRate ?? 0.5f;
        features[28] = history is null ? 0 : AnswerHistory.Leaning(features[23], history.AcceptedKm, history.DeclinedKm);
        features[29] = history is null ? 0 : AnswerHistory.Leaning(features[16], history.AcceptedGap, history.DeclinedGap);
    }
}

/// <summary>
/// The cold-start score: a transparent weighted sum of the pair features, used until enough answers
/// exist to train a ranker, and fed to the ranker as one feature afterwards.
/// </summary>
public static class PriorScore
{
    public static float Of(MatchProfile a, ReadOnlySpan<float> f)
    {
        var meetingFit = Math.Max(f[5] * Math.Max(f[2], 0.5f), a.Online ? f[4] : 0);
        var wantsMentoring = a.Seeks("mentor") || a.Seeks("mentee");
        var experienceFit = wantsMentoring && f[7] > 0 ? 1 : 1 - f[6];
        return 0.30f * f[1]
            + 0.10f * Math.Min(f[0], 1)
            + 0.15f * meetingFit
            + 0.15f * experienceFit
            + 0.10f * f[10]
            + 0.10f * f[9]
            + 0.10f * f[12];
    }
}
