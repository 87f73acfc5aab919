#!/usr/bin/env python3
"""Writes a media.list result of N entries as Kaltura's server writes it, XML (format 2) or
JSON (format 1): bench/gen-list.py xml|json N OUT. 50000 entries make about 55 MB of XML and
39 MB of JSON, the sizes `make bench` compares at."""
import json
import sys


def entry(i):
    return {
        "id": "0_%07x" % i, "name": "Benchmark entry %d: a walk <by> the river & back" % i,
        "description": "Entry %d of a generated list. " % i * 3, "partnerId": 1234,
        "userId": "user%d@example.com" % (i % 97), "creatorId": "creator%d" % (i % 13),
        "tags": "bench,river,walk,%d" % (i % 50), "adminTags": "", "categories": "Demo>Walks",
        "categoriesIds": str(10 + i % 7), "status": 2, "moderationStatus": 6,
        "moderationCount": 0, "type": 1, "createdAt": 1700000000 + i, "updatedAt": 1700500000 + i,
        "rank": 0, "totalRank": 0, "votes": 0, "downloadUrl":
        "https://cdnapisec.kaltura.com/p/1234/sp/123400/playManifest/entryId/0_%07x/format/download" % i,
        "searchText": "_PAR_ONLY_ _1234_ _MEDIA_TYPE_1|  Benchmark entry %d " % i,
        "licenseType": -1, "version": 0, "thumbnailUrl":
        "https://cfvod.kaltura.com/p/1234/sp/123400/thumbnail/entry_id/0_%07x/version/100002" % i,
        "accessControlId": 4, "replacementStatus": 0, "partnerSortValue": 0,
        "conversionProfileId": 5, "rootEntryId": "0_%07x" % i, "operationAttributes": [],
        "entitledUsersEdit": "", "entitledUsersPublish": "", "entitledUsersView": "",
        "capabilities": "", "displayInSearch": 1, "plays": i % 1000, "views": i % 3000,
        "lastPlayedAt": 1700900000 + i, "width": 1280, "height": 720, "duration": 60 + i % 600,
        "msDuration": (60 + i % 600) * 1000, "mediaType": 1, "conversionQuality": 5,
        "sourceType": "1", "dataUrl":
        "https://cdnapisec.kaltura.com/p/1234/sp/123400/playManifest/entryId/0_%07x/format/url/protocol/https" % i,
        "flavorParamsIds": "0,2,3,4,5", "objectType": "KalturaMediaEntry",
    }


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_value(v):
    if isinstance(v, list):
        return "" if not v else "".join("<item>%s</item>" % xml_value(x) for x in v)
    return xml_escape(str(v))


def main():
    fmt, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(out, "w", encoding="utf-8") as f:
        if fmt == "xml":
            f.write('<?xml version="1.0" encoding="utf-8"?><xml><result>'
                    "<objectType>KalturaMediaListResponse</objectType><objects>")
            for i in range(n):
                e = entry(i)
                f.write("<item><objectType>KalturaMediaEntry</objectType>")
                f.write("".join("<%s>%s</%s>" % (k, xml_value(v), k)
                                for k, v in e.items() if k != "objectType"))
                f.write("</item>")
            f.write("</objects><totalCount>%d</totalCount></result>"
                    "<executionTime>1.2345</executionTime></xml>" % n)
        else:
            f.write('{"objects":[')
            for i in range(n):
                f.write(("," if i else "") + json.dumps(entry(i), separators=(",", ":"),
                                                        ensure_ascii=False))
            f.write('],"totalCount":%d,"objectType":"KalturaMediaListResponse"}' % n)


main()
