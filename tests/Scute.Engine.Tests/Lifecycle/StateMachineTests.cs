using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine.Tests.Lifecycle;

public sealed class StateMachineTests
{
    private static readonly HashSet<(EnvState, EnvState)> Expected =
    [
        (EnvState.Defined, EnvState.Built),
        (EnvState.Built, EnvState.Running),
        (EnvState.Running, EnvState.Running),
        (EnvState.Running, EnvState.Built),
        (EnvState.Built, EnvState.Frozen),
        (EnvState.Frozen, EnvState.Built),
        (EnvState.Built, EnvState.Archived),
        (EnvState.Frozen, EnvState.Archived),
    ];

    public static TheoryData<EnvState, EnvState> AllPairs()
    {
        var data = new TheoryData<EnvState, EnvState>();
        foreach (var from in Enum.GetValues<EnvState>())
        {
            foreach (var to in Enum.GetValues<EnvState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_pair_is_allowed_exactly_when_listed(EnvState from, EnvState to)
    {
        var env = Env(from);
        Assert.Equal(Expected.Contains((from, to)), StateMachine.IsAllowed(from, to));
        if (Expected.Contains((from, to)))
        {
            StateMachine.Require(env, to, "do it");
        }
        else
        {
            var e = Assert.Throws<EngineException>(() => StateMachine.Require(env, to, "do it"));
            Assert.Contains($"{StateMachine.Name(from)} → {StateMachine.Name(to)} is not allowed", e.Message);
        }
    }

    [Fact]
    public void Entering_an_archived_environment_names_both_states()
    {
        var e = Assert.Throws<EngineException>(() => StateMachine.ForExec(Env(EnvState.Archived), "enter it"));

        Assert.Equal("environment abc (0123456789ab) is archived; cannot enter it (archived → running is not allowed)", e.Message);
    }

    [Fact]
    public void A_frozen_environment_runs_and_stays_frozen()
    {
        Assert.Equal(EnvState.Frozen, StateMachine.ForExec(Env(EnvState.Frozen), "enter it"));
        Assert.Equal(EnvState.Running, StateMachine.ForExec(Env(EnvState.Built), "enter it"));
        Assert.Equal(EnvState.Running, StateMachine.ForExec(Env(EnvState.Running), "enter it"));
        Assert.Throws<EngineException>(() => StateMachine.ForExec(Env(EnvState.Defined), "enter it"));
    }

    [Fact]
    public void Commands_that_keep_the_state_refuse_others_and_say_stop_for_running()
    {
        StateMachine.RequireIn(Env(EnvState.Built), "restore it", EnvState.Built);
        var e = Assert.Throws<EngineException>(() => StateMachine.RequireIn(Env(EnvState.Running), "destroy it", EnvState.Built, EnvState.Frozen));

        Assert.Contains("is running; cannot destroy it (needs built or frozen); stop it first", e.Message);
    }

    internal static EnvironmentMetadata Env(EnvState state) => new()
    {
        EnvId = "0123456789ab" + new string('0', 52),
        ShortId = "0123456789ab",
        Name = "abc",
        State = state,
        ManifestPath = "/m/scute.toml",
        BaseReference = "builtin:busybox",
        BaseDigest = Digest.Compute([1]),
        ImageKey = "k",
        Backend = "mock",
        ManifestJson = "{}",
        SecurityJson = "{}",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
