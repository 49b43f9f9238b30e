/* A stand-in for Windows' bcryptprimitives.dll, for the Wine runs in .ci/run only.
 *
 * Rust's standard library gets random bytes from ProcessPrng in bcryptprimitives.dll, which
 * Windows 10 and later ship. Wine 8.0 (Debian 12's `wine`) has no such DLL, so without this an
 * .exe built by Rust does not start under it ("Library bcryptprimitives.dll ... not found").
 * This forwards to RtlGenRandom (advapi32's SystemFunction036), which Wine has. wxpick itself
 * ships no DLL: on Windows the system's own is used. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
