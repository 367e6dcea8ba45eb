import type { Widen } from "../types";
import type zh from "../zh/trust";

const trust: Widen<typeof zh> = {
  title: "Check the inspection office keys this site trusts",
  intro:
    "Your report is encrypted only to staff on a list signed by the inspection office. The signing keys are written into the page's code when the site is built; they do not come from the server's database. Compare each fingerprint below, digit by digit, with the one the office posts on its notices or official channels. If they differ, do not report here: use the duty phone or the letter box instead.",
  fingerprintOf: "Signing key fingerprint of {office}",
  covers: "Covers {count} districts",
  demo: "This is a demo: the keys below were generated at random when the site was built and belong to no real office.",
  homeLink: "Check the office key fingerprints",
};

export default trust;
