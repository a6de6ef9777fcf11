using System.Globalization;

namespace Scute.Runtime.Namespace;

/// <summary>
/// How long a user-namespace holder (nsstage.c) stays without a strict exec joining it: 60 s,
/// long enough for a burst of execs, short enough that nothing lingers long after. The
/// variable is for tests (a holder that ends in a second or two; 0 starts none).
/// </summary>
public static class HolderLinger
{
    public const string Variable = "SCUTE_HOLDER_LINGER_SECONDS";

    public const int DefaultSeconds = 60;

    /// <summary>The variable's value when it is a whole number of seconds (at most a day), else the default.</summary>
    public static int Seconds(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 86_400 ? seconds : DefaultSeconds;
}
