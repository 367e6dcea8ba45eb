/**
 * Unit names shown with a kind tag ("韩城桥村 [村]"): when the name already says the kind
 * ("韩城桥村", "Hanchengqiao Village") the tag would read "韩城桥村 村" / "Village Village", so
 * it is left out. Shared by the public pages and the report form.
 */
export function nameSaysKind(name: string, kindLabel: string): boolean {
  const n = name.trim().toLowerCase();
  const k = kindLabel.trim().toLowerCase();
  return k !== "" && n.endsWith(k);
}
