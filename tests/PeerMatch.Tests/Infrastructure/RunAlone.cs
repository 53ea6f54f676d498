namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// Tests that hold the app to a deadline run alone, after the others: on two cores, a neighbour posting 10 MB
/// bodies can starve the app for longer than the deadline being tested.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAlone
{
    public const string Name = "Deadlines, run alone";
}
