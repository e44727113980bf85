namespace FakeGlobalProtect.Events;

/// <summary>Where the fake reports what happened; never given a password, OTP or cookie.</summary>
public interface IEventSink
{
    void Emit(FakeEvent fakeEvent);
}
