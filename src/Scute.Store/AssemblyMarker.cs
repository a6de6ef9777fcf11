namespace Scute.Store;
internal static class AssemblyMarker;
