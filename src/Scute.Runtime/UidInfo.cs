namespace Scute.Runtime;

/// <summary>The invoking user's ids, as the kernel sees them.</summary>
public static class UidInfo
{
    public static int EffectiveUid => Core.Interop.Libc.geteuid();

    public static int EffectiveGid => Core.Interop.Libc.getegid();
}
