namespace Scute.Runtime;

/// <summary>The invoking user's ids, as the kernel sees them.</summary>
public static class UidInfo
{
    public static int EffectiveUid => Interop.Libc.geteuid();

    public static int EffectiveGid => Interop.Libc.getegid();
}
