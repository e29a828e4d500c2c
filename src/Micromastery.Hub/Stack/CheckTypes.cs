namespace Micromastery.Hub.Stack;

/// <summary>
/// The one check type the hub itself provides. Every other type is named by the provider folder that
/// declares it (e.g. <c>StripeTestPaymentCheck.Name</c>); the catalog refers to those by their stack-file names,
/// as a stack file does, and a test holds that each one is registered.
/// </summary>
internal static class CheckTypes
{
    public const string Manual = "manual";
}
