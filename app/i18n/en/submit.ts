import type { Widen } from "../types";
import type zh from "../zh/submit";

const submit: Widen<typeof zh> = {
  progressLabel: "Sending progress",
  percent: "{percent}% done",
  step: {
    prepare: "Making your receipt code and keys",
    files: "Removing location data from photos and encrypting files",
    seal: "Encrypting the report",
    pow: "Completing the anti-spam check",
    upload: "Uploading the encrypted report",
    saving: "Saving",
  },
  remaining: "About {time} left",
  seconds: "{n} s",
  minutes: "{n} min",
  speed: "Upload speed about {speed}/s",
  keepOpen: "Please keep this page open and do not switch apps until you see your receipt code.",
  retryTitle: "The connection dropped: the report is not confirmed yet",
  retryBody:
    "Everything you wrote is still here. “Send again” sends the same encrypted report once more — no second receipt code, and if the first attempt did arrive it is not stored twice.",
  retry: "Send again",
  largePhotos: {
    legend: "How to send large photos",
    hint: "These photos are larger than {size}. On a slow connection an original can take tens of seconds to upload.",
    original: "Send the original (best as evidence, default)",
    reduced: "Send a reduced copy ({side} pixels on the long side, much faster)",
    note: "Either way, location and other metadata are removed on your phone first.",
  },
};

export default submit;
