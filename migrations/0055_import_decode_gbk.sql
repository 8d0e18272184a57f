-- GBK attribute text of a shapefile decoded in PostgreSQL instead of by GDAL (databaseDecoding).
-- GDAL reads the DBF's bytes as ISO-8859-1, which it carries to UTF-8 without iconv: every byte
-- becomes the character of the same number. Each batch then turns the text back into its bytes
-- (convert_to … 'LATIN1') and decodes them as GBK, in the statement that converts its coordinates.
-- GDAL's GBK → UTF-8 recoding through iconv cost more than half of its time on a 变更调查.
--
-- PostgreSQL's GBK table and glibc's CP936, which GDAL uses, give the same character for every
-- two-byte sequence; they differ only on the single byte 0x80, which CP936 reads as '€'. A value
-- PostgreSQL refuses (an invalid byte, a lead byte cut off by the DBF's field width, or 0x80) makes
-- its batch decode value by value with this function, which answers what GDAL answered: iconv's
-- characters, 0x80 as '€', and every byte it cannot decode left out (GDAL skips it, with a warning).
CREATE FUNCTION import_decode_lenient(value text, encoding text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  bytes bytea := convert_to(value, 'LATIN1');
  total integer := length(bytes);
  decoded text := '';
  piece text;
  at integer := 0;
  lead integer;
  width integer;
BEGIN
  BEGIN
    RETURN convert_from(bytes, encoding);
  EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
    NULL;
  END;
  WHILE at < total LOOP
    lead := get_byte(bytes, at);
    IF lead < 128 THEN
      decoded := decoded || chr(lead);
      at := at + 1;
      CONTINUE;
    END IF;
    IF lead = 128 AND upper(encoding) = 'GBK' THEN
      decoded := decoded || '€';
      at := at + 1;
      CONTINUE;
    END IF;
    piece := NULL;
    FOREACH width IN ARRAY ARRAY[2, 4] LOOP
      EXIT WHEN piece IS NOT NULL OR at + width > total;
      BEGIN
        piece := convert_from(substring(bytes FROM at + 1 FOR width), encoding);
      EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
        piece := NULL;
      END;
      IF piece IS NOT NULL THEN
        at := at + width;
      END IF;
    END LOOP;
    IF piece IS NULL THEN
      at := at + 1;
    ELSE
      decoded := decoded || piece;
    END IF;
  END LOOP;
  RETURN decoded;
END;
$$;
