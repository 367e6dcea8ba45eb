import type { Widen } from "../types";
import type zh from "../zh/tipster";

const tipster: Widen<typeof zh> = {
  title: "Case status",
  pageTitle: "Follow your report",
  intro:
    "Enter the 16-digit receipt code you got when you reported. You will see how the case is going and the team's questions, and you can reply or add evidence.",
  privacyJs:
    "Your receipt code is turned into keys on this device and never sent to the server. The server only receives a check value derived from it and cannot read your case.",
  receiptLabel: "Receipt code (16 digits)",
  receiptHint: "Spaces are fine, for example 1234 5678 9012 3456.",
  open: "Show my case",
  deriving: "Turning the code into keys on your device; this can take a few seconds…",
  loading: "Loading…",
  safetyLink: "How to report safely",
  noJsTitle: "JavaScript is turned off in your browser",
  noJsBody:
    "You can still follow your case and reply, but this way is weaker: your receipt code is sent to the server, which decrypts your case in memory just to show it to you. The server does not store the code or the content and does not log them, but anyone who controlled the server could see them. If you can, turn JavaScript on and try again.",
  noJsActive:
    "You are using the no-JavaScript way, which is weaker: your receipt code went to the server, which decrypted this page in memory. The server neither stores nor logs it, but whoever controls the server could see it. Clear your browsing history when you are done.",
  errors: {
    notFound: "We found no report for this receipt code. Check the digits and try again.",
    badFormat: "The receipt code may contain only digits (spaces are fine).",
    badLength: "The receipt code has 16 digits.",
    badChecksum:
      "A digit of the receipt code is wrong (the check digit does not match). Check each digit.",
    tooMany: "Too many attempts. Please try again in {minutes} minutes.",
    badRequest: "The request was not valid. Reload the page and try again.",
    replyEmpty: "Write your reply first.",
    replyTooLong: "Your reply is too long: at most {max} characters.",
    powFailed: "The anti-flood check failed or expired. Please send again.",
    tooManyFiles: "You can add at most {max} files at a time.",
    filesTooLarge: "Files may add up to at most {size}.",
    fileType: "The file “{name}” is not supported: add photos (JPEG or PNG) or PDFs.",
    fileExecutable:
      "“{name}” is not a photo or PDF: its contents are a program (an executable). It cannot be sent as evidence.",
    fileMismatch:
      "“{name}” is named like a photo or PDF, but its contents are not one. Please choose the original photo (JPEG or PNG) or PDF.",
    fileEmpty: "The file “{name}” is empty. Please choose it again.",
    network: "The connection failed. Please try again later; nothing you wrote is lost.",
    storageUnavailable:
      "The server cannot store anything right now (its storage is full or read-only), so your reply was not sent. Please try again in a few minutes.",
    decrypt: "Part of the case could not be decrypted; it may be damaged.",
    crypto:
      "Your browser cannot do the encryption. Use a newer browser, or turn JavaScript off and try again.",
  },
  summaryTitle: "Your report",
  district: "District",
  unit: "Unit",
  submitted: "Submitted",
  currentStatus: "Status",
  ackBy: "You should hear whether it is accepted by {date}",
  feedbackBy: "You should get feedback on the outcome by {date}",
  acknowledged: "Accepted on {date}",
  identityOpened:
    "The name and contact details you left were opened on {date} by the officer handling your case, with the team leader's approval, so they can contact you. Nobody else can see them.",
  overdue: "Overdue",
  report: {
    category: "Kind of problem",
    text: "What happened",
    when: "When it happened",
    people: "People and positions involved",
    amount: "Amount involved",
    files: "Files",
    notGiven: "(not given)",
  },
  yourReport: "Show what you reported",
  timelineTitle: "Progress",
  status: {
    received: "Received",
    accepted: "Accepted",
    under_review: "Under review",
    transferred: "Handed to the discipline commission",
    rectifying: "Being put right",
    resolved: "Resolved",
    not_accepted: "Not accepted",
    merged: "Merged with another report",
  },
  statusHelp: {
    received: "Your report is stored encrypted and waits for the team.",
    accepted: "The inspection team accepted your report and will look into it.",
    under_review: "The team is checking what you reported.",
    transferred: "The clue was handed to the discipline commission in charge.",
    rectifying: "The unit concerned is putting the problem right.",
    resolved: "The case is closed.",
    not_accepted: "The team did not accept this report; see the reason.",
    merged: "This report is handled together with another one about the same problem.",
  },
  threadTitle: "Conversation with the team",
  threadEmpty: "No messages yet. If the team has questions, they will ask them here.",
  fromTeam: "Inspection team",
  fromMe: "Me",
  files: "{count} file attached|{count} files attached",
  unreadable: "(a message that could not be decrypted)",
  signature: {
    verified: "Verified: signed by an inspection team member",
    signer: "Signed by",
    signerRole: "{role}",
    signerRoleTeam: "{role}, {team}",
    fingerprint: "Signer's key fingerprint (as shown when you reported)",
    writtenAt: "Signed at",
    unverifiedTitle: "This message could not be confirmed as coming from the inspection team",
    reason: {
      unsigned:
        "It carries no signature (it may predate signed messages), so nobody can confirm who sent it.",
      invalid:
        "Its signature is invalid or it was altered; its text is hidden. Do not do anything it asks in the team's name.",
      unknownSigner:
        "It was signed with a key the inspection office did not approve; its text is hidden.",
      wrongPlace:
        "This signed message appears where it was not written for (for example under another status); its text is hidden.",
      duplicate: "The same message appeared twice; the repeat is hidden.",
    },
    showAnyway: "Show the text anyway (its sender cannot be confirmed)",
    uncheckedTag: "Not checked",
    noJsUnchecked:
      "Without JavaScript this page cannot check the signatures on the team's messages: only the server could, and the signatures exist to stop the server from writing in the team's name. Open this page again with JavaScript on to confirm that each message really comes from the team.",
  },
  replyTitle: "Reply to the team",
  replyLabel: "Your reply",
  replyHint:
    "Your reply is encrypted on this device; only the inspection team can read it. Do not write anything that identifies you unless you want to.",
  replyHintNoJs:
    "The server encrypts your reply as soon as it arrives; only the inspection team can read it.",
  evidenceLabel: "Add evidence (optional)",
  evidenceHint:
    "Photos (JPEG, PNG) or PDFs, up to {max} files and {size} in total. Location and camera data in photos is removed on your device; check PDFs for author details yourself.",
  evidenceHintNoJs:
    "Photos (JPEG, PNG) or PDFs, up to {max} files and {size} in total. The server removes location and camera data from photos and encrypts the files as soon as they arrive; check PDFs for author details yourself.",
  send: "Encrypt and send",
  sending: "Encrypting and passing the anti-flood check, please wait…",
  sent: "Sent. Only the inspection team can read it.",
  close: "Done",
  closeHint: "When you are finished, press “Done” and clear your browsing history.",
  quickExit: {
    label: "Quick exit",
    aria: "Quick exit: go to a weather site now; Back will not return here",
  },
  safety: {
    title: "How to report safely",
    intro:
      "This site does not record your IP address, and when JavaScript runs in your browser your report is encrypted on your device. Your phone, computer and network can still give you away. These steps lower the risk.",
    quickExitTitle: "Leave quickly at any time",
    quickExitBody:
      "Every page has a “Quick exit” button at the top. It goes to a weather site at once and replaces the current history entry, so Back does not return here. On a computer, pressing Esc twice outside a text field does the same.",
    sharedTitle: "Shared phones and computers",
    sharedBody:
      "If family, colleagues or village cadres may look at your phone, use a device only you use. Do not keep the receipt code in your photos, chats or notes; write it on paper and keep it somewhere safe.",
    privateTitle: "Use private browsing",
    privateBody:
      "Open a private (incognito) window from the browser menu before visiting this site. When you close that window, neither the history nor the language choice of this site remains.",
    historyTitle: "Delete your history afterwards",
    historyBody:
      "If you did not use private browsing, delete this site from the history (browser settings → history) when you are done. Status pages are never cached, but the address may stay in the history.",
    torTitle: "Use Tor Browser",
    torBody:
      "If you worry that the network is watched (for example a workplace or village Wi-Fi), use Tor Browser, which hides where you connect from. Or use mobile data instead of a workplace network.",
    receiptTitle: "Keep your receipt code safe",
    receiptBody:
      "The receipt code is the only way to follow your case and answer the team, and we cannot recover it. Anyone who has it can read your report, so do not share it.",
    writeTitle: "What you write can identify you",
    writeBody:
      "Details only you and a few others know can reveal who reported. Unless you want to give your name, describe the problem and leave yourself out.",
    backToStatus: "Follow your report",
    backHome: "Back to the home page",
  },
};

export default tipster;
