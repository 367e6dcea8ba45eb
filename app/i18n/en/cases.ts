import type { Widen } from "../types";
import type zh from "../zh/cases";

const cases: Widen<typeof zh> = {
  title: "Cases",
};

export default cases;
