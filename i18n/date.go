package i18n

import (
	"strconv"
	"time"
	_ "time/tzdata" // Asia/Bishkek even on hosts without zoneinfo

	"github.com/jarchy/jarchy"
)

// Zone is the newsroom's time zone: Asia/Bishkek, or a fixed UTC+6 zone
// when the zone database cannot be read (Kyrgyzstan has kept UTC+6 without
// daylight saving time since 2005).
var Zone = loadZone()

func loadZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Bishkek"); err == nil {
		return loc
	}
	return time.FixedZone("+06", 6*60*60)
}

// Month names. Kyrgyz dates use the nominative after an ordinal number
// ("27-ноябрь"); Russian dates use the genitive ("27 ноября").
var months = map[jarchy.Lang][12]string{
	jarchy.Kyrgyz:  {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	jarchy.Russian: {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	jarchy.English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// MonthName returns the name of month m as used inside a date in lang.
func MonthName(lang jarchy.Lang, m time.Month) string {
	names, ok := months[lang]
	if !ok {
		names = months[jarchy.DefaultLang]
	}
	if m < time.January || m > time.December {
		return ""
	}
	return names[m-1]
}

// FormatDate formats the day of t in Asia/Bishkek time:
// ky "27-ноябрь, 2026", ru "27 ноября 2026", en "27 November 2026".
func FormatDate(lang jarchy.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Zone)
	day, year := strconv.Itoa(t.Day()), strconv.Itoa(t.Year())
	month := MonthName(lang, t.Month())
	switch lang {
	case jarchy.Russian, jarchy.English:
		return day + " " + month + " " + year
	default:
		return day + "-" + month + ", " + year
	}
}

// FormatDateTime is FormatDate followed by the time of day (24-hour clock),
// e.g. "27-ноябрь, 2026, 14:05".
func FormatDateTime(lang jarchy.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(lang, t) + ", " + t.In(Zone).Format("15:04")
}

// ISODate formats t for a datetime attribute or JSON-LD, in Bishkek time
// with its offset: 2026-11-27T14:05:00+06:00.
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format(time.RFC3339)
}
