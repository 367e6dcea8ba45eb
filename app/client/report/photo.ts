/** Large photos: above LARGE_PHOTO_BYTES the resident may send a reduced copy (REDUCED_MAX_SIDE px). */
export const LARGE_PHOTO_BYTES = 2 * 1024 * 1024;
/** Longest side of a reduced photo: still readable as evidence, a fraction of the bytes. */
export const REDUCED_MAX_SIDE = 1600;
const PHOTO_TYPES = ["image/jpeg", "image/png"];

export function largePhotos(files: readonly File[]): File[] {
  return files.filter((f) => PHOTO_TYPES.includes(f.type) && f.size > LARGE_PHOTO_BYTES);
}
