namespace Appliance.Protocols.Http;

internal enum FieldBlockScan
{
    Complete,
    Incomplete,
    TooLarge,
    Malformed,
}
