import type { Widen } from "../types";
import type zh from "../zh/tipster";

const tipster: Widen<typeof zh> = {
  title: "Case status",
};

export default tipster;
