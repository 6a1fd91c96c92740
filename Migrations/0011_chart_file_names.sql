-- A chart's id and protocol name the file `export` writes (<protocol>/<id>.flow): neither may
-- climb out of the folder, hide the file, or hold a NUL, whoever writes them.
CREATE TRIGGER chart_names_are_file_names BEFORE INSERT ON charts
WHEN NEW.id GLOB '*/*' OR NEW.id GLOB '.*' OR NEW.id GLOB '*..*' OR instr(NEW.id, char(0)) > 0
  OR NEW.protocol GLOB '*/*' OR NEW.protocol GLOB '.*' OR NEW.protocol GLOB '*..*' OR instr(NEW.protocol, char(0)) > 0 BEGIN
    SELECT RAISE(ABORT, 'a chart id or protocol may not hold "/", "..", a NUL or start with "."');
END;

CREATE TRIGGER chart_renamed_names_are_file_names BEFORE UPDATE OF id, protocol ON charts
WHEN NEW.id GLOB '*/*' OR NEW.id GLOB '.*' OR NEW.id GLOB '*..*' OR instr(NEW.id, char(0)) > 0
  OR NEW.protocol GLOB '*/*' OR NEW.protocol GLOB '.*' OR NEW.protocol GLOB '*..*' OR instr(NEW.protocol, char(0)) > 0 BEGIN
    SELECT RAISE(ABORT, 'a chart id or protocol may not hold "/", "..", a NUL or start with "."');
END;
