import type { Widen } from "../types";
import type zh from "../zh/auth";

const auth: Widen<typeof zh> = {
  title: "Staff sign-in",
  intro: "For inspection teams, the inspection office, discipline commissions and auditors only.",
  username: "Username",
  password: "Password",
  signIn: "Sign in",
  next: "Next",
  invalid: "Wrong username or password.",
  locked: "Too many attempts. Please try again in about {minutes} min.",
  busy: "Sign-in is busy right now. Please try again in a few seconds.",
  badInput: "Please enter your username and password.",
  totpTitle: "Step 2: one-time code",
  totpIntro:
    "Open your authenticator app and enter the 6-digit code. Without your phone, enter one of your recovery codes.",
  code: "One-time code or recovery code",
  codeHint: "6 digits, or a recovery code like xxxx-xxxx-xxxx",
  enrolCode: "The 6 digits your app shows",
  verify: "Verify and continue",
  codeInvalid: "That code is wrong or has expired. Please try again.",
  codeLocked: "Too many attempts. Please try again in about {minutes} min.",
  startOver: "Sign in again",
  enrolTitle: "Set up your one-time codes",
  enrolIntro:
    "Signing in needs a second factor. Scan the QR code with an authenticator app or type the key, then enter the 6 digits the app shows.",
  qrAlt: "Authenticator QR code",
  secret: "Key",
  confirm: "Confirm",
  recoveryTitle: "Recovery codes (shown only once)",
  recoveryIntro:
    "Write down or print these codes and keep them safe. If you lose your phone, each code replaces a one-time code once.",
  recoveryDone: "I have saved them — go to the workspace",
  signOut: "Sign out",
  signedOut: "You are signed out.",
  accountTitle: "My account",
  sessionsTitle: "Signed-in devices",
  sessionStarted: "Signed in {time}, last active {seen}",
  thisSession: "This device",
  signOutEverywhere: "Sign out everywhere",
  signOutEverywhereHint:
    "If you think someone else uses your account, end every session at once (this one too).",
  recoveryLeft: "Recovery codes left: {count}",
  recoveryHeading: "Recovery codes",
  regenerateHint:
    "If your recovery codes are used up, lost or may have been seen, make a new set. To confirm it is you, enter your password and the 6 digits from your authenticator again. The old codes stop working at once.",
  regenerateCode: "Authenticator code (6 digits)",
  regenerate: "Make new recovery codes",
  regenerated:
    "New recovery codes made; the old ones no longer work. The new codes are shown only this once.",
  regenerateWrong: "Wrong password or authenticator code: no new recovery codes were made.",
  regenerateBadInput: "Enter your password and the 6-digit authenticator code.",
  inviteTitle: "Accept your invitation",
  inviteIntro: "{name}, please choose a password for the account {username}.",
  inviteInvalid:
    "This invitation link is invalid, used or expired. Please ask the inspection office for a new one.",
  newPassword: "New password (at least 12 characters)",
  repeatPassword: "New password again",
  passwordTooShort: "The password needs at least 12 characters.",
  passwordMismatch: "The two passwords differ.",
  setPassword: "Set password",
};

export default auth;
