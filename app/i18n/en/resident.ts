import type { Widen } from "../types";
import type zh from "../zh/resident";

const resident: Widen<typeof zh> = {
  title: "Report",
  pageTitle: "Tell the visiting inspection team",
  chooseDistrict: {
    title: "Step 1: choose the district",
    intro:
      "Choose the district where the problem happened. Your report goes only to the inspection team from another district that is stationed there.",
    search: "Search districts",
    searchHint: "Type part of the district's name, e.g. “Jinnan”",
    searchButton: "Search",
    noMatch: "No district name contains “{q}”.",
    showAll: "Show all districts",
  },
  district: {
    heading: "Report to the team stationed in {district}",
    headingOffice: "Report a problem in {district}",
    change: "Choose another district",
    unknown: "There is no such district. Please choose one from the list.",
  },
  readers: {
    title: "Who will be able to read your report",
    promiseTeam: "Only the inspection team from {home} can read this report",
    promiseMixed: "Only the inspection team stationed in {district} can read this report",
    promiseOffice: "Only the city inspection office can read this report",
    notLocal:
      "Cadres of {district} cannot read it, and neither can the people who run this website.",
    howJs: "What you write is encrypted on this phone before it is sent.",
    howNoJs:
      "JavaScript is not running in your browser: the server will encrypt what you write as soon as it arrives (see below).",
    checkKeys: "Check the keys",
    keysIntro:
      "These keys can open this report; each one is signed by the inspection office. You can compare the fingerprints with the ones the team publishes.",
    team: "Inspection team",
    home: "Comes from",
    mixedTeam: "Mixed team",
    window: "Stationed",
    windowValue: "{start} to {end}",
    role: {
      leader: "Team leader",
      deputy_leader: "Deputy leader",
      liaison: "Liaison",
      member: "Member",
      office: "Inspection office",
    },
    localsExcluded:
      "The {count} team member whose home is {district} gets no key either.|The {count} team members whose home is {district} get no key either.",
    unitRecusal: "A member recused from the place you choose does not get your report either.",
    officeNotice:
      "No inspection team is stationed in this district right now, so reports go to the city inspection office; its staff whose home is this district get no key either.",
    nobodyTitle: "Nobody can receive reports about this district right now",
    nobodyBody:
      "There is no team stationed here and no inspection office staff who could receive a report. To protect you, we never store a report that nobody can read. Please come back later, or use the duty phone or letter box the teams publish.",
  },
  before: {
    receipt:
      "After sending you get a 16-digit receipt code to follow the case and answer the team's questions. It cannot be recovered, so have pen and paper ready.",
  },
  form: {
    legendUnit: "Where did it happen",
    unitFilter: "Filter places",
    unitFilterHint: "Type part of the name of the village, community or organisation",
    unitWhole: "Not sure / not in the list",
    unitKind: {
      village: "Village",
      community: "Community",
      organisation: "Organisation",
      school: "School",
      court: "Court",
      enterprise: "Enterprise",
      other: "Other",
    },
    legendCategory: "What kind of problem is it",
    category: {
      decision: "Policies not carried out",
      corruption: "Corruption and misconduct near the people",
      livelihood: "Livelihood matters",
    },
    categoryHelp: {
      decision:
        "Rules and policies from above are ignored, distorted or only carried out on paper.",
      corruption:
        "Cadres use their position for private gain, take collective or residents' money or property, or demand favours.",
      livelihood:
        "Things that affect daily life are not done: subsidies, roads, drinking water, clinics, schools.",
    },
    legendCorruption: "Which of these (optional)",
    corruptionNote: "Only needed for “Corruption and misconduct near the people”.",
    corruption: {
      abuse_of_power: "Abuse of power",
      false_claims: "False claims",
      extortion: "Extortion",
      favouritism: "Favouritism",
      squandering_assets: "Squandering collective assets",
    },
    corruptionHelp: {
      abuse_of_power: "Using the office to benefit themselves, relatives or friends.",
      false_claims: "Made-up names or inflated numbers to collect compensation or subsidies.",
      extortion: "Asking for money, gifts or meals for doing their job, or stalling on purpose.",
      favouritism: "Welfare, subsidies or housing plots going first to relatives and friends.",
      squandering_assets: "Wasting, sharing out or taking the village's money, land or buildings.",
    },
    text: "What happened",
    textHint:
      "Say as clearly as you can who did what, where, and how you know. Leave out details that would identify you.",
    when: "When did it happen (optional)",
    whenHint: "e.g. spring 2024, during last year's demolition",
    people: "People and positions involved (optional)",
    peopleHint: "e.g. village Party secretary Wang, village accountant",
    amount: "Amount involved (optional, yuan)",
    amountHint: "A rough number is fine, e.g. 1,500,000 or 15000",
    amountEcho: "= {amount}",
    files: "Evidence files (optional)",
    filesHint: "Photos (JPEG, PNG) or PDFs, up to {count}, each at most {each}, {total} in total.",
    filesCleanJs:
      "Location (GPS), phone model and similar data are removed from photos on your phone before encryption. PDFs are not changed: check they do not carry your name.",
    filesCleanNoJs:
      "Location (GPS), phone model and similar data are removed from photos on the server, then they are encrypted. PDFs are not changed: check they do not carry your name.",
    filesChosen: "{count} file chosen, {size}|{count} files chosen, {size} in total",
    legendIdentity: "Leave contact details?",
    anonymousDefault: "Send anonymously (recommended)",
    giveIdentity: "I want to give my name and contact details",
    identityNote:
      "Contact details are encrypted separately. Staff see them only after the team leader approves it, and that is recorded. You can leave them out: the team can ask you questions through the receipt code.",
    name: "Name",
    phone: "Phone",
    contact: "How you prefer to be contacted",
    contactHint: "e.g. calls only in the evening, text messages only",
    onlyOutsiders: "Only cadres from outside my district may handle it (recommended)",
    onlyOutsidersHint:
      "If you untick this, a visiting member may show this one report to a local member when needed, and that is recorded.",
    draft: "Keep an encrypted draft on this device",
    draftHint:
      "If ticked, your text survives an accidental reload. The draft is encrypted in this browser and cannot be opened after this tab is closed. Do not tick this on someone else's phone.",
    draftRestored: "Your unsent draft was restored.",
    leaveTitle: "Leave this page?",
    leaveForm: "Your report has not been sent yet. If you leave, it is lost.",
    leaveReceipt:
      "The receipt code is shown only this once and cannot be recovered after you leave. Write it down and confirm below first.",
    stay: "Stay on this page",
    leaveAnyway: "Leave anyway",
    sentEarlierTitle: "This report was already sent",
    sentEarlierBody:
      "The receipt code was shown only once and is not kept anywhere, so it cannot be shown here again. If you wrote it down, go to “Follow a case”; if not, you can write a new report.",
    writeAgain: "Write a new report",
    draftDiscard: "Delete draft",
    submit: "Encrypt and send",
    submitNoJs: "Send",
  },
  nojs: {
    title: "JavaScript is not running in your browser",
    body: "You can still send this form, but then the encryption happens on our server: what you write travels unencrypted inside the secure connection (HTTPS) to the server, is encrypted in memory and dropped at once, never written to disk or logs. This is weaker than encrypting on your phone: someone who controls the server could see it. Photo locations are also removed on the server. If you can, turn JavaScript on before sending.",
    waiting:
      "The page is still loading its encryption code. Please wait a moment, then press send again.",
  },
  receipt: {
    title: "Your report was sent",
    codeLabel: "Your receipt code",
    warning:
      "Write the receipt code down or take a screenshot now. It cannot be recovered: we do not keep it and cannot find your report by name or phone number.",
    copy: "Copy receipt code",
    copied: "Copied",
    copyFailed: "Could not copy automatically. Please write it down.",
    confirmTitle: "Confirm you wrote the code down",
    writtenDown: "I have written the receipt code down",
    last4: "Type the last 4 digits of the receipt code",
    confirm: "Confirm",
    confirmed: "Thank you, you have confirmed that you wrote the receipt code down.",
    last4Wrong: "Those are not the last 4 digits. Check what you wrote down and try again.",
    mustTick: "Please tick “I have written the receipt code down”.",
    last4Missing: "Please type the last 4 digits of the receipt code.",
    nextTitle: "What happens next",
    nextAck: "The team should tell you by {date} whether your report is accepted.",
    nextFeedback: "They should tell you what was done by {date}.",
    nextStatus:
      "Use the receipt code on the “Follow a case” page to see progress and answer the team.",
    statusLink: "Follow a case",
    weakerPath:
      "This report was encrypted on the server (JavaScript was not running in your browser).",
  },
  errors: {
    summary: "{count} thing needs changing|{count} things need changing",
    filesAgain:
      "For your safety the browser does not keep chosen files. Please choose these again: {names}",
    keptText: "Everything you wrote is still below.",
    badRequest:
      "The form arrived in a shape we cannot use. Please reload the page and try again; copy your text first if it is still on the page.",
    chooseDistrict: "Please choose a district first.",
    unknownUnit: "That place is not in this district. Please choose again.",
    textMissing: "Please write what happened.",
    textTooLong: "That is too long: at most {max} characters.",
    fieldTooLong: "“{field}” is too long: at most {max} characters.",
    categoryMissing: "Please choose the kind of problem.",
    unitMissing:
      "Please choose where it happened; if you are not sure, choose “Not sure / not in the list”.",
    amountInvalid: "We cannot read this amount. Please write one number, e.g. 15000 or 1,500,000.",
    amountPrecision: "Amounts go down to the fen at most (two decimal places).",
    amountGrouping:
      "The commas are in the wrong place: put one every three digits (1,500,000) or none.",
    amountTooLarge: "That amount is too large: the limit is 10 billion yuan.",
    tooManyFiles: "You can add at most {max} files. Please remove some.",
    fileTooLarge: "The file “{name}” is larger than {max}. Please shrink or split it.",
    oneFileTooLarge: "One of the files is larger than {max}. Please shrink or split it.",
    filesTooLarge: "The files add up to more than {max}. Please remove some.",
    fileType: "The file “{name}” is not supported. Please add photos (JPEG or PNG) or PDFs.",
    fileExecutable:
      "“{name}” is not a photo or PDF: its contents are a program (an executable). It cannot be sent as evidence.",
    fileMismatch:
      "“{name}” is named like a photo or PDF, but its contents are not one. Please choose the original photo (JPEG or PNG) or PDF.",
    fileEmpty: "The file “{name}” is empty. Please choose it again.",
    requestTooLarge:
      "What you sent is too large (limit {max}), so the files were not received. Please add fewer files.",
    tooMany: "Too many reports from here. Please try again in {minutes} minutes.",
    powExpired: "The anti-spam check expired. Please press send again.",
    powReplayed: "That anti-spam check was already used. Please press send again.",
    powInvalid: "The anti-spam check failed. Please press send again.",
    recipientsChanged:
      "Who can read reports here changed just now. The page was updated: please check it and send again.",
    noReader: "Nobody can receive reports about this district right now, so nothing was stored.",
    duplicate: "A receipt code clash happened. Please send again.",
    storageUnavailable:
      "The server cannot store reports right now (its storage is full or read-only), so this report was not saved. Please try again in a few minutes; what you wrote is still on this page.",
    network:
      "The connection failed and your report was not sent. Please try again; your text is still here.",
    unverifiedReaders:
      "One of the readers' keys does not carry a valid signature of the inspection office, so to protect you the report was not sent. Please try again later, or call the team's duty phone.",
    crypto:
      "Your browser cannot do the encryption. Please use a newer browser, or turn JavaScript off and try again.",
    methodNotAllowed: "Please send reports through the report page.",
  },
};

export default resident;
