import type { Widen } from "../types";
import type zh from "../zh/resident";

const resident: Widen<typeof zh> = {
  title: "Report",
};

export default resident;
