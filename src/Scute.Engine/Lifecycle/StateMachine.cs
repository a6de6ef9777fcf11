using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>
/// The one place that decides which state changes an environment may make (DESIGN §4), and
/// which commands a state allows. A refusal names both states.
/// </summary>
public static class StateMachine
{
    private static readonly HashSet<(EnvState From, EnvState To)> Allowed =
    [
        (EnvState.Defined, EnvState.Built),    // build finished
        (EnvState.Built, EnvState.Running),    // exec / enter started
        (EnvState.Running, EnvState.Running),  // another exec / enter while one runs
        (EnvState.Running, EnvState.Built),    // the last command ended, or stop
        (EnvState.Built, EnvState.Frozen),     // freeze
        (EnvState.Frozen, EnvState.Built),     // thaw
        (EnvState.Built, EnvState.Archived),   // archive
        (EnvState.Frozen, EnvState.Archived),  // archive
    ];

    public static IReadOnlyCollection<(EnvState From, EnvState To)> Transitions => Allowed;

    public static bool IsAllowed(EnvState from, EnvState to) => Allowed.Contains((from, to));

    /// <summary>Throws unless <paramref name="env"/> may go to <paramref name="to"/>; <paramref name="verb"/> says what the user asked ("enter it").</summary>
    public static void Require(EnvironmentMetadata env, EnvState to, string verb)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!IsAllowed(env.State, to))
        {
            throw new EngineException(
                $"environment {Label(env)} is {Name(env.State)}; cannot {verb} ({Name(env.State)} → {Name(to)} is not allowed)");
        }
    }

    /// <summary>For commands that keep the state (commit, restore, destroy...): throws unless the state is one of <paramref name="states"/>.</summary>
    public static void RequireIn(EnvironmentMetadata env, string verb, params EnvState[] states)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!states.Contains(env.State))
        {
            var hint = env.State == EnvState.Running ? "; stop it first" : "";
            throw new EngineException(
                $"environment {Label(env)} is {Name(env.State)}; cannot {verb} (needs {string.Join(" or ", states.Select(Name))}){hint}");
        }
    }

    /// <summary>exec and enter: a built environment becomes running; a frozen one runs read-only and stays frozen.</summary>
    public static EnvState ForExec(EnvironmentMetadata env, string verb)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.State == EnvState.Frozen)
        {
            return EnvState.Frozen;
        }

        Require(env, EnvState.Running, verb);
        return EnvState.Running;
    }

    public static string Name(EnvState state) => state.ToString().ToLowerInvariant();

    private static string Label(EnvironmentMetadata env) => env.Name is { } n ? $"{n} ({env.ShortId})" : env.ShortId;
}
