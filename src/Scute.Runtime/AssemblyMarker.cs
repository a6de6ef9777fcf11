namespace Scute.Runtime;
internal static class AssemblyMarker;
