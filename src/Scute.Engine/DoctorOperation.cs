using Scute.Runtime;

namespace Scute.Engine;

public static class DoctorOperation
{
    public static IReadOnlyList<PrerequisiteCheck> Run() => HostPrerequisites.ForNamespaceBackend();
}
