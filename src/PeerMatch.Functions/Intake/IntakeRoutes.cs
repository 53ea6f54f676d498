namespace PeerMatch.Functions.Intake;

/// <summary>Intake's pages and routes: the form, sign-up, confirmation, the profile and "send me a new link", and unsubscribing. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class IntakeRoutes
{
    /// <summary>Where the sign-up form is: pages point people back to it.</summary>
    public static readonly string IntakeFormPath = PeerMatch.Links.Routes.Path(IntakeForm);

    public const string IntakeForm = "intake";
    public const string IntakeSent = "intake/sent";
    public const string Subdivisions = "places/{country}";
    public const string Practitioners = "practitioners";
    public const string Confirm = "confirm";
    public const string Me = "me";
    public const string Erase = "me/erase";
    public const string Erased = "me/erased";
    public const string NewLink = "me/link";
    public const string NewLinkSent = "me/link/sent";
    public const string Unsubscribe = "unsubscribe";
}
