namespace Scute.Policy;
internal static class AssemblyMarker;
