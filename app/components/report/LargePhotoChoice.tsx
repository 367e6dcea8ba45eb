/**
 * For photos over 2 MB, an explicit choice: the original (best as evidence, the default) or a
 * reduced copy (much faster on a slow link). Metadata is stripped on the device either way.
 * Only with JavaScript (the reduced copy is made in the browser); without it originals are sent.
 */
import { mb } from "~/client/report/model";
import { LARGE_PHOTO_BYTES, REDUCED_MAX_SIDE } from "~/client/report/photo";
import { useI18n } from "~/i18n/use-t";

export function LargePhotoChoice({
  photos,
  reduce,
  onChange,
}: {
  photos: readonly File[];
  reduce: ReadonlySet<File>;
  onChange: (next: Set<File>) => void;
}) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  const set = (file: File, reduced: boolean) => {
    const next = new Set(reduce);
    if (reduced) next.add(file);
    else next.delete(file);
    onChange(next);
  };
  return (
    <fieldset className="sub-fieldset large-photos">
      <legend>{t("submit.largePhotos.legend")}</legend>
      <p className="hint">{t("submit.largePhotos.hint", { size: mb(LARGE_PHOTO_BYTES) })}</p>
      {photos.map((file, i) => (
        <div
          key={`${file.name}-${i}`}
          className="choice-stack"
          role="radiogroup"
          aria-label={file.name}
        >
          <p className="large-photo-name">
            {file.name} · {mb(file.size)}
          </p>
          <label className="choice">
            <input
              type="radio"
              name={`photo-size-${i}`}
              checked={!reduce.has(file)}
              onChange={() => set(file, false)}
            />
            <span>{t("submit.largePhotos.original")}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`photo-size-${i}`}
              value="reduced"
              checked={reduce.has(file)}
              onChange={() => set(file, true)}
            />
            <span>{t("submit.largePhotos.reduced", { side: REDUCED_MAX_SIDE })}</span>
          </label>
        </div>
      ))}
      <p className="hint">{t("submit.largePhotos.note")}</p>
    </fieldset>
  );
}
